import { readFileSync } from 'node:fs';
import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import {
  parseVonageDeliveryReport,
  VONAGE_DELIVERY_STATUSES,
  VONAGE_MESSAGE_TIMESTAMP_ZONE,
} from './vonage-delivery-report.js';
import { createVonageProvider } from './vonage-provider.js';

// The delivery-receipts guide's example (mheap/nexmo-developer), as Vonage's POST-JSON webhook sends it.
const RECEIPT_TEXT = readFileSync(new URL('./__fixtures__/delivery-receipt.json', import.meta.url), 'utf8');
const RECEIPT = JSON.parse(RECEIPT_TEXT) as Record<string, string>;

const EXPECTED = {
  provider: 'vonage',
  messageId: '0B00000127FDBC63',
  to: '+447547232824',
  status: 'delivered',
  providerStatus: 'delivered',
  at: new Date('2018-10-25T12:10:29Z'),
  vonage: {
    networkCode: '23410',
    price: '0.03330000',
    sender: 'Nexmo CLI',
    scts: '1810251310',
    messageTimestamp: '2018-10-25 12:10:29',
  },
};

function invalid(payload: unknown) {
  let thrown: unknown;
  try {
    parseVonageDeliveryReport(payload);
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_INPUT'), `payload ${String(payload)}`).toBe(true);
  expect((thrown as { provider?: string }).provider).toBe('vonage');
  return thrown as Error;
}

describe("the guide's receipt, in each of Vonage's three webhook formats", () => {
  it('POST-JSON: the parsed body', () => {
    expect(parseVonageDeliveryReport(RECEIPT)).toEqual(EXPECTED);
  });

  it('POST-JSON: the body as text', () => {
    expect(parseVonageDeliveryReport(RECEIPT_TEXT)).toEqual(EXPECTED);
  });

  it('GET: the query, as URLSearchParams, a query string, or a parsed query object', () => {
    const query = new URLSearchParams(RECEIPT);
    expect(parseVonageDeliveryReport(query)).toEqual(EXPECTED);
    expect(parseVonageDeliveryReport(`?${query}`)).toEqual(EXPECTED);
    // Express and friends give a repeated field as an array: its first value counts.
    expect(parseVonageDeliveryReport({ ...RECEIPT, messageId: ['0B00000127FDBC63', 'other'] })).toEqual(
      EXPECTED,
    );
  });

  it('POST form: the body as a string, or as URLSearchParams', () => {
    const form = new URLSearchParams(RECEIPT).toString();
    expect(form).toContain('to=Nexmo+CLI');
    expect(parseVonageDeliveryReport(form)).toEqual(EXPECTED);
    expect(parseVonageDeliveryReport(new URLSearchParams(form))).toEqual(EXPECTED);
  });

  it('through the provider', () => {
    const provider = createVonageProvider({
      apiKey: 'abcd1234',
      apiSecret: 'Vn7SecretXy91Qz0',
      from: 'OTPKIT',
    });
    expect(provider.parseDeliveryReport(RECEIPT)).toEqual(EXPECTED);
  });
});

describe('statuses', () => {
  it.each([
    ['delivered', 'delivered'],
    ['expired', 'undelivered'],
    ['failed', 'undelivered'],
    ['undelivered', 'undelivered'],
    ['rejected', 'undelivered'],
    ['accepted', 'pending'],
    ['buffered', 'pending'],
    ['unknown', 'unknown'],
  ] as const)('%s → %s, whatever the case, the raw status kept', (status, expected) => {
    expect(VONAGE_DELIVERY_STATUSES[status]).toBe(expected);
    for (const spelled of [status, status.toUpperCase(), status[0]!.toUpperCase() + status.slice(1)]) {
      const report = parseVonageDeliveryReport({ messageId: 'ID1', status: spelled });
      expect(report.status).toBe(expected);
      expect(report.providerStatus).toBe(spelled);
    }
  });

  it('lists exactly the statuses of the spec and the guide', () => {
    expect(Object.keys(VONAGE_DELIVERY_STATUSES).sort()).toEqual(
      ['accepted', 'buffered', 'delivered', 'expired', 'failed', 'rejected', 'undelivered', 'unknown'].sort(),
    );
  });

  it('any other status is unknown, kept verbatim; a missing status is unknown with ""', () => {
    expect(parseVonageDeliveryReport({ messageId: 'ID1', status: 'DELIVRD' })).toMatchObject({
      status: 'unknown',
      providerStatus: 'DELIVRD',
    });
    for (const status of ['constructor', '__proto__', 'toString']) {
      expect(parseVonageDeliveryReport({ messageId: 'ID1', status }).status).toBe('unknown');
    }
    expect(parseVonageDeliveryReport({ messageId: 'ID1' })).toMatchObject({
      status: 'unknown',
      providerStatus: '',
    });
  });
});

describe('fields', () => {
  it('err-code is the errorCode, except "0" (no error)', () => {
    expect(parseVonageDeliveryReport({ messageId: 'ID1', status: 'failed', 'err-code': '6' }).errorCode).toBe(
      '6',
    );
    expect(parseVonageDeliveryReport({ messageId: 'ID1', status: 'expired', 'err-code': 2 }).errorCode).toBe(
      '2',
    );
    expect(
      parseVonageDeliveryReport({ messageId: 'ID1', status: 'delivered', 'err-code': '0' }),
    ).not.toHaveProperty('errorCode');
  });

  it('to is "+" and the msisdn; a msisdn that is not digits is kept as it is; none, no to', () => {
    expect(parseVonageDeliveryReport({ messageId: 'ID1', msisdn: '14155550123' }).to).toBe('+14155550123');
    expect(parseVonageDeliveryReport({ messageId: 'ID1', msisdn: 14155550123 }).to).toBe('+14155550123');
    expect(parseVonageDeliveryReport({ messageId: 'ID1', msisdn: 'unknown' }).to).toBe('unknown');
    expect(parseVonageDeliveryReport({ messageId: 'ID1' })).not.toHaveProperty('to');
  });

  it("the DLR's own to is the sender, not the recipient; client-ref is kept", () => {
    const report = parseVonageDeliveryReport({
      messageId: 'ID1',
      msisdn: '447700900000',
      to: 'OTPKIT',
      'client-ref': 'login-42',
    });
    expect(report.to).toBe('+447700900000');
    expect(report.vonage).toEqual({ sender: 'OTPKIT', clientRef: 'login-42' });
  });

  it("message-id (the send reply's spelling) is read when messageId is absent", () => {
    expect(parseVonageDeliveryReport({ 'message-id': 'ID2', status: 'delivered' }).messageId).toBe('ID2');
    expect(parseVonageDeliveryReport({ 'message-id': 'ID2', messageId: 'ID1' }).messageId).toBe('ID1');
  });

  it('trims values and ignores empty ones', () => {
    const report = parseVonageDeliveryReport({
      messageId: ' ID1 ',
      status: ' Delivered ',
      price: '',
      'err-code': '',
    });
    expect(report).toMatchObject({ messageId: 'ID1', status: 'delivered', providerStatus: 'Delivered' });
    expect(report).not.toHaveProperty('errorCode');
    expect(report.vonage).toEqual({});
  });
});

describe('times', () => {
  it(`message-timestamp, read in ${VONAGE_MESSAGE_TIMESTAMP_ZONE}`, () => {
    expect(VONAGE_MESSAGE_TIMESTAMP_ZONE).toBe('Z');
    expect(
      parseVonageDeliveryReport({ messageId: 'ID1', 'message-timestamp': '2020-01-01 14:00:00' }).at,
    ).toEqual(new Date('2020-01-01T14:00:00Z'));
  });

  it("else a signed DLR's timestamp (Unix seconds); else now", () => {
    expect(parseVonageDeliveryReport({ messageId: 'ID1', timestamp: '1385047698' }).at).toEqual(
      new Date(1_385_047_698_000),
    );
    expect(
      parseVonageDeliveryReport({
        messageId: 'ID1',
        'message-timestamp': 'yesterday',
        timestamp: '1385047698',
      }).at,
    ).toEqual(new Date(1_385_047_698_000));
    const before = Date.now();
    const at = parseVonageDeliveryReport({ messageId: 'ID1', 'message-timestamp': '2020-13-45 99:00:00' }).at;
    expect(at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('scts is kept verbatim, never read as the time (its zone is not stated)', () => {
    const report = parseVonageDeliveryReport({ messageId: 'ID1', scts: '2001011400' });
    expect(report.vonage.scts).toBe('2001011400');
    expect(report.at.getUTCFullYear()).toBeGreaterThan(2020);
  });
});

describe('refusals: INVALID_INPUT', () => {
  it('no messageId', () => {
    for (const payload of [
      {},
      { status: 'delivered' },
      { messageId: '' },
      { messageId: '   ' },
      { messageId: null },
    ]) {
      expect(invalid(payload).message).toBe('vonage: expected a delivery receipt with a messageId');
    }
    invalid(new URLSearchParams('status=delivered'));
    invalid('status=delivered');
    invalid('');
  });

  it('not an object, form or query', () => {
    for (const payload of [null, undefined, 42, true, [], [{ messageId: 'ID1' }]]) invalid(payload);
  });

  it('JSON text that does not parse', () => {
    expect(invalid('{"messageId": "ID1"').message).toContain('unreadable JSON');
  });
});
