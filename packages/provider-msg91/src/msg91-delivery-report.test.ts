import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import v2 from './__fixtures__/webhook-v2-form.json' with { type: 'json' };
import v3 from './__fixtures__/webhook-v3.json' with { type: 'json' };
import { parseMsg91DeliveryReport, parseMsg91DeliveryReports } from './msg91-delivery-report.js';

const invalid = (payload: unknown) => {
  try {
    parseMsg91DeliveryReports(payload);
  } catch (error) {
    return isOtpError(error, 'INVALID_INPUT');
  }
  return false;
};

describe('the legacy webhook (v2): a form field holding a JSON array', () => {
  const expected = {
    provider: 'msg91',
    messageId: '346XXXXXXXXXXXX130',
    status: 'delivered',
    providerStatus: '1',
    to: '9195XXXX6558',
    at: new Date('2024-05-22T04:36:20.000Z'),
  };

  it('reads it as URLSearchParams, a form string and a parsed form', () => {
    const form = new URLSearchParams(v2);
    expect(parseMsg91DeliveryReport(form)).toEqual(expected);
    expect(parseMsg91DeliveryReport(form.toString())).toEqual(expected);
    expect(parseMsg91DeliveryReport(v2)).toEqual(expected);
  });

  it('reads every report of every request, each with its request id', () => {
    const data = JSON.stringify([
      {
        requestId: 'req-a',
        report: [
          { number: '919800000001', status: '1' },
          { number: '919800000002', status: '16', failedReason: 'Rejected' },
        ],
      },
      { requestId: 'req-b', report: [{ number: '919800000003', status: '9', desc: 'NDNC' }] },
    ]);
    const reports = parseMsg91DeliveryReports({ data });
    expect(reports.map((report) => [report.messageId, report.to, report.status, report.errorCode])).toEqual([
      ['req-a', '+919800000001', 'delivered', undefined],
      ['req-a', '+919800000002', 'undelivered', 'Rejected'],
      ['req-b', '+919800000003', 'undelivered', undefined],
    ]);
  });
});

describe('the JSON webhooks', () => {
  it('reads v3 (flat JSON), as an object and as text', () => {
    const report = parseMsg91DeliveryReport(v3);
    expect(report).toMatchObject({
      messageId: '346XXXXXXXXXXXX130',
      status: 'delivered',
      providerStatus: '1',
    });
    expect(report.at.toISOString()).toBe('2024-05-22T04:28:16.000Z');
    expect(parseMsg91DeliveryReport(JSON.stringify(v3))).toEqual(report);
  });

  it('reads "Webhook (New)": requestId, telNum, failureReason', () => {
    const report = parseMsg91DeliveryReport({
      requestId: '6650b0c1d2e3f40516273849',
      status: 'Failed',
      telNum: '919812345678',
      failureReason: 'Absent subscriber',
      deliveryTime: '2024-05-22 10:10:00',
    });
    expect(report).toMatchObject({
      status: 'undelivered',
      providerStatus: 'Failed',
      to: '+919812345678',
      errorCode: 'Absent subscriber',
    });
  });

  it('reads v4 entries that carry a request id, with their event and Unix time', () => {
    const [report] = parseMsg91DeliveryReports([
      { data: [{ requestId: 'req-v4', description: 'DELIVERED', ts: 1726729500 }], event: 'delivered' },
    ]);
    expect(report).toMatchObject({
      messageId: 'req-v4',
      status: 'delivered',
      at: new Date(1726729500 * 1000),
    });
  });

  it('refuses v4 entries without a request id: they cannot be matched to a send', () => {
    expect(
      invalid([
        { data: [{ meta: '0', INMSID: '0', description: 'DELIVERED', ts: 1726729500 }], event: 'delivered' },
      ]),
    ).toBe(true);
  });
});

describe('statuses', () => {
  it.each([
    ['1', 'delivered'],
    ['2', 'undelivered'],
    ['9', 'undelivered'],
    ['16', 'undelivered'],
    ['17', 'undelivered'],
    ['25', 'undelivered'],
    ['8', 'pending'],
    ['DELIVERED', 'delivered'],
    ['REJECTED', 'undelivered'],
    ['42', 'unknown'],
  ])('%s is %s', (status, expected) => {
    expect(parseMsg91DeliveryReport({ requestId: 'r1', status }).status).toBe(expected);
  });

  it('falls back to desc when there is no status', () => {
    expect(parseMsg91DeliveryReport({ requestId: 'r1', desc: 'DELIVERED' })).toMatchObject({
      status: 'delivered',
      providerStatus: 'DELIVERED',
    });
  });
});

describe('garbage', () => {
  it.each([
    ['no request id', { status: '1' }],
    ['a data field that is not JSON', { data: '[{not json' }],
    ['an empty array', []],
    ['a number', 42],
    ['null', null],
    ['an array of numbers', [1, 2]],
    ['a report that is not an object', { data: JSON.stringify([{ requestId: 'r', report: ['x'] }]) }],
    ['a request id with CR/LF', { requestId: 'r\r\n1', status: '1' }],
  ])('refuses %s with INVALID_INPUT', (_name, payload) => {
    expect(invalid(payload)).toBe(true);
    expect(() => parseMsg91DeliveryReport(payload)).toThrow(/msg91/);
  });

  it('refuses a payload whose getter throws', () => {
    const payload = Object.defineProperty({}, 'requestId', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(invalid(payload)).toBe(true);
  });
});
