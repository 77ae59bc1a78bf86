import { createDispatcher, type DeliveryEvent, type DeliveryStatus, isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { KALEYRA_DELIVERY_STATUSES, parseKaleyraDeliveryReport } from './kaleyra-delivery-report.js';
import { createKaleyraProvider } from './kaleyra-provider.js';

const MESSAGE_ID = 'ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1';

function invalid(payload: unknown) {
  try {
    parseKaleyraDeliveryReport(payload);
  } catch (error) {
    if (isOtpError(error)) return error;
    throw error;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('parseKaleyraDeliveryReport: payload forms', () => {
  const expected = {
    provider: 'kaleyra',
    messageId: MESSAGE_ID,
    to: '+919876543210',
    status: 'delivered',
    providerStatus: 'DELIVRD',
    at: new Date('2019-11-04T10:42:30Z'),
  };

  it('a parsed JSON object', () => {
    expect(
      parseKaleyraDeliveryReport({
        message_id: MESSAGE_ID,
        status: 'DELIVRD',
        recipient: '919876543210',
        delivered_at: '2019-11-04 10:42:30+00:00',
      }),
    ).toEqual(expected);
  });

  it('a form body as a string', () => {
    const form = `message_id=${encodeURIComponent(MESSAGE_ID)}&status=DELIVRD&recipient=919876543210&delivered_at=2019-11-04+10%3A42%3A30%2B00%3A00`;
    expect(parseKaleyraDeliveryReport(form)).toEqual(expected);
  });

  it('URLSearchParams (a form body or a GET query)', () => {
    const query = new URLSearchParams({
      message_id: MESSAGE_ID,
      status: 'DELIVRD',
      recipient: '919876543210',
      delivered_at: '2019-11-04 10:42:30+00:00',
    });
    expect(parseKaleyraDeliveryReport(query)).toEqual(expected);
  });

  it('the query of a GET callback URL', () => {
    const url = new URL(
      `https://app.example.com/kaleyra/dlr/s3cr3t?id=${encodeURIComponent(MESSAGE_ID)}&status=delivered&mobile=%2B919876543210`,
    );
    expect(parseKaleyraDeliveryReport(url.searchParams)).toMatchObject({
      messageId: MESSAGE_ID,
      status: 'delivered',
      providerStatus: 'delivered',
      to: '+919876543210',
    });
  });

  it('a query object as node:querystring or a framework gives it (arrays take the first value)', () => {
    expect(parseKaleyraDeliveryReport({ id: [MESSAGE_ID, 'other'], status: ['failed'] })).toMatchObject({
      messageId: MESSAGE_ID,
      status: 'undelivered',
    });
  });

  it('numbers are read as text', () => {
    expect(
      parseKaleyraDeliveryReport({ msgid: 12345, status: 'sent', recipient: 919876543210 }),
    ).toMatchObject({
      messageId: '12345',
      to: '+919876543210',
      status: 'pending',
    });
  });

  it('with URLSearchParams, the first of repeated fields wins', () => {
    expect(parseKaleyraDeliveryReport('id=first&id=second&status=delivered').messageId).toBe('first');
  });
});

describe('parseKaleyraDeliveryReport: field aliases', () => {
  it.each(['message_id', 'id', 'msgid'])('message id as %s', (field) => {
    expect(parseKaleyraDeliveryReport({ [field]: MESSAGE_ID, status: 'delivered' }).messageId).toBe(
      MESSAGE_ID,
    );
  });

  it('message_id wins over id, id over msgid; blank values are skipped', () => {
    expect(parseKaleyraDeliveryReport({ msgid: 'c', id: 'b', message_id: 'a' }).messageId).toBe('a');
    expect(parseKaleyraDeliveryReport({ msgid: 'c', id: 'b' }).messageId).toBe('b');
    expect(parseKaleyraDeliveryReport({ message_id: '  ', msgid: 'c' }).messageId).toBe('c');
    expect(parseKaleyraDeliveryReport({ id: '  b  ' }).messageId).toBe('b');
  });

  it.each(['status', 'dlr_status'])('status as %s', (field) => {
    const report = parseKaleyraDeliveryReport({ id: MESSAGE_ID, [field]: 'UNDELIV' });
    expect(report.status).toBe('undelivered');
    expect(report.providerStatus).toBe('UNDELIV');
  });

  it('status wins over dlr_status', () => {
    expect(parseKaleyraDeliveryReport({ id: 'x', status: 'delivered', dlr_status: 'failed' }).status).toBe(
      'delivered',
    );
  });

  it.each(['recipient', 'mobile', 'to', 'number'])('recipient as %s', (field) => {
    expect(parseKaleyraDeliveryReport({ id: 'x', status: 'sent', [field]: '14155550123' }).to).toBe(
      '+14155550123',
    );
  });

  it('a recipient without + gets +; one with + or other characters is kept', () => {
    expect(parseKaleyraDeliveryReport({ id: 'x', recipient: '919876543210' }).to).toBe('+919876543210');
    expect(parseKaleyraDeliveryReport({ id: 'x', recipient: '+919876543210' }).to).toBe('+919876543210');
    expect(parseKaleyraDeliveryReport({ id: 'x', recipient: 'KLRHXA' }).to).toBe('KLRHXA');
    expect(parseKaleyraDeliveryReport({ id: 'x', status: 'sent' })).not.toHaveProperty('to');
  });

  it.each(['error_code', 'reason', 'err', 'description'])('errorCode as %s, kept verbatim', (field) => {
    expect(parseKaleyraDeliveryReport({ id: 'x', status: 'failed', [field]: 'CON-DND' }).errorCode).toBe(
      'CON-DND',
    );
  });

  it('no errorCode when none was given', () => {
    expect(parseKaleyraDeliveryReport({ id: 'x', status: 'delivered' })).not.toHaveProperty('errorCode');
  });

  it('reads the time from Kaleyra dates, ISO dates and epoch seconds or milliseconds', () => {
    const at = new Date('2019-11-04T10:42:30Z');
    expect(parseKaleyraDeliveryReport({ id: 'x', datetime: '2019-11-04 10:42:30+00:00' }).at).toEqual(at);
    expect(parseKaleyraDeliveryReport({ id: 'x', timestamp: '2019-11-04T10:42:30Z' }).at).toEqual(at);
    expect(parseKaleyraDeliveryReport({ id: 'x', time: '1572864150' }).at).toEqual(at);
    expect(parseKaleyraDeliveryReport({ id: 'x', dlr_time: 1572864150000 }).at).toEqual(at);
  });

  it('an absent or unreadable time is the time of parsing', () => {
    for (const payload of [{ id: 'x' }, { id: 'x', delivered_at: 'soon' }]) {
      const before = Date.now();
      const at = parseKaleyraDeliveryReport(payload).at.getTime();
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(Date.now());
    }
  });
});

describe('parseKaleyraDeliveryReport: statuses', () => {
  const cases: [string, DeliveryStatus][] = [
    ['sent', 'pending'],
    ['SENT', 'pending'],
    ['delivered', 'delivered'],
    ['Delivered', 'delivered'],
    ['DELIVRD', 'delivered'],
    ['delivrd', 'delivered'],
    ['failed', 'undelivered'],
    ['FAILED', 'undelivered'],
    ['undelivered', 'undelivered'],
    ['UNDELIVERED', 'undelivered'],
    ['UNDELIV', 'undelivered'],
    ['EXPIRED', 'undelivered'],
    ['expired', 'undelivered'],
    [' delivered ', 'delivered'],
  ];

  it.each(cases)('%j → %s, the raw status kept', (status, expected) => {
    const report = parseKaleyraDeliveryReport({ id: MESSAGE_ID, status });
    expect(report.status).toBe(expected);
    expect(report.providerStatus).toBe(status.trim());
  });

  it.each(['ACCEPTD', 'queued', 'awaiting-dlr', 'constructor', '__proto__', 'toString'])(
    'unknown status %j → unknown, the raw status kept',
    (status) => {
      const report = parseKaleyraDeliveryReport({ id: MESSAGE_ID, status, reason: 'NO-CREDITS' });
      expect(report.status).toBe('unknown');
      expect(report.providerStatus).toBe(status);
      expect(report.errorCode).toBe('NO-CREDITS');
    },
  );

  it.each(['NOT SENT', 'not sent', 'REJECTD'])(
    '%j (a cap or an operator refusal) → undelivered',
    (status) => {
      expect(parseKaleyraDeliveryReport({ id: MESSAGE_ID, status }).status).toBe('undelivered');
    },
  );

  it('no status at all → unknown with an empty providerStatus', () => {
    expect(parseKaleyraDeliveryReport({ id: MESSAGE_ID })).toMatchObject({
      status: 'unknown',
      providerStatus: '',
    });
  });

  it('the table holds the statuses of the API notes', () => {
    expect(KALEYRA_DELIVERY_STATUSES).toEqual({
      sent: 'pending',
      delivered: 'delivered',
      delivrd: 'delivered',
      failed: 'undelivered',
      undelivered: 'undelivered',
      undeliv: 'undelivered',
      expired: 'undelivered',
      'not sent': 'undelivered',
      rejectd: 'undelivered',
    });
  });
});

describe('parseKaleyraDeliveryReport: invalid payloads → INVALID_INPUT', () => {
  it.each([
    { status: 'delivered' },
    { message_id: '', status: 'delivered' },
    { message_id: '   ' },
    { message_id: { nested: true } },
    { message_id: null },
    {},
    'status=delivered',
    '',
    new URLSearchParams(),
  ])('no message id: %j', (payload) => {
    const error = invalid(payload);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.provider).toBe('kaleyra');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('message id');
  });

  it.each([null, undefined, 42, true, [], [{ id: 'x' }], Symbol('x')])('not an object: %s', (payload) => {
    const error = invalid(payload);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.provider).toBe('kaleyra');
  });
});

describe('with the provider and a dispatcher', () => {
  const provider = createKaleyraProvider({ sid: 'HXXXXXXX071US', apiKey: 'Ac4XXXXX21f' });

  it('provider.parseDeliveryReport is the same function', () => {
    expect(provider.parseDeliveryReport).toBe(parseKaleyraDeliveryReport);
  });

  it('dispatcher.report emits delivered and undelivered; pending and unknown emit nothing', () => {
    const dispatcher = createDispatcher({ providers: [provider] });
    const delivered: DeliveryEvent[] = [];
    const undelivered: DeliveryEvent[] = [];
    dispatcher.on('delivered', (event) => delivered.push(event));
    dispatcher.on('undelivered', (event) => undelivered.push(event));

    dispatcher.report(
      provider.parseDeliveryReport(
        new URLSearchParams({ id: 'm-1', status: 'DELIVRD', mobile: '919876543210' }),
      ),
    );
    dispatcher.report(
      provider.parseDeliveryReport({ message_id: 'm-2', status: 'failed', error_code: 'CON-DND' }),
    );
    dispatcher.report(provider.parseDeliveryReport({ message_id: 'm-3', status: 'sent' }));
    dispatcher.report(provider.parseDeliveryReport({ message_id: 'm-4', status: 'ACCEPTD' }));

    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ provider: 'kaleyra', messageId: 'm-1', to: '+919876543210' });
    expect(delivered[0]!.report.providerStatus).toBe('DELIVRD');
    expect(undelivered).toHaveLength(1);
    expect(undelivered[0]).toMatchObject({ provider: 'kaleyra', messageId: 'm-2' });
    expect(undelivered[0]!.report.errorCode).toBe('CON-DND');
    // Not sent by this dispatcher: no dispatch id.
    expect(delivered[0]!.id).toBeUndefined();
  });
});
