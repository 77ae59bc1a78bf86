import { describe, expect, it } from 'vitest';
import { parseTwilioDeliveryReport, TWILIO_DELIVERY_STATUSES } from './twilio-delivery-report.js';
import { createTwilioProvider } from './twilio-provider.js';

const SID = 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** A status callback as Twilio posts it: form fields, with more than the parser reads. */
const callback = (fields: Record<string, string>) =>
  new URLSearchParams({
    MessageSid: SID,
    SmsSid: SID,
    AccountSid: `AC${'a'.repeat(32)}`,
    From: '+15017122661',
    To: '+15558675310',
    ApiVersion: '2010-04-01',
    ...fields,
  });

describe('parseTwilioDeliveryReport: statuses', () => {
  it.each([
    ['delivered', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'undelivered'],
    ['queued', 'pending'],
    ['sending', 'pending'],
    ['sent', 'pending'],
    ['accepted', 'pending'],
    ['scheduled', 'pending'],
    ['receiving', 'unknown'],
    ['received', 'unknown'],
    ['read', 'unknown'],
    ['partially_delivered', 'unknown'],
    ['canceled', 'unknown'],
    ['something-new', 'unknown'],
  ] as const)('MessageStatus=%s → %s', (providerStatus, status) => {
    const report = parseTwilioDeliveryReport(callback({ MessageStatus: providerStatus }));
    expect(report).toMatchObject({
      provider: 'twilio',
      messageId: SID,
      status,
      providerStatus,
      to: '+15558675310',
    });
    expect(report.errorCode).toBeUndefined();
  });

  it('the status table has exactly the documented mapped statuses', () => {
    expect(TWILIO_DELIVERY_STATUSES).toEqual({
      delivered: 'delivered',
      undelivered: 'undelivered',
      failed: 'undelivered',
      queued: 'pending',
      sending: 'pending',
      sent: 'pending',
      accepted: 'pending',
      scheduled: 'pending',
    });
  });

  it('compares statuses case-insensitively, keeping the raw one', () => {
    const report = parseTwilioDeliveryReport({ MessageSid: SID, MessageStatus: 'Delivered' });
    expect(report).toMatchObject({ status: 'delivered', providerStatus: 'Delivered' });
  });

  it('no MessageStatus → unknown, with an empty providerStatus', () => {
    expect(parseTwilioDeliveryReport({ MessageSid: SID })).toMatchObject({
      status: 'unknown',
      providerStatus: '',
    });
  });

  it('an own status name only: "constructor" is unknown', () => {
    expect(parseTwilioDeliveryReport({ MessageSid: SID, MessageStatus: 'constructor' }).status).toBe(
      'unknown',
    );
  });
});

describe('parseTwilioDeliveryReport: fields', () => {
  it('undelivered with ErrorCode 30006: errorCode kept verbatim', () => {
    const report = parseTwilioDeliveryReport(callback({ MessageStatus: 'undelivered', ErrorCode: '30006' }));
    expect(report).toMatchObject({
      status: 'undelivered',
      errorCode: '30006',
      providerStatus: 'undelivered',
    });
  });

  it('dates the report when it is read (the callback carries no confirmed time)', () => {
    const before = Date.now();
    const report = parseTwilioDeliveryReport(callback({ MessageStatus: 'delivered' }));
    expect(report.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(report.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('reads the raw form body as a string', () => {
    const report = parseTwilioDeliveryReport(
      'MessageSid=SM123&MessageStatus=failed&ErrorCode=30003&To=%2B15558675310&From=%2B15017122661',
    );
    expect(report).toMatchObject({
      messageId: 'SM123',
      status: 'undelivered',
      errorCode: '30003',
      to: '+15558675310',
    });
  });

  it('reads a plain object: numbers as text, arrays by their first value', () => {
    const report = parseTwilioDeliveryReport({
      MessageSid: [SID, 'SMother'],
      MessageStatus: 'failed',
      ErrorCode: 30007,
      To: '+15558675310',
    });
    expect(report).toMatchObject({
      messageId: SID,
      status: 'undelivered',
      errorCode: '30007',
      to: '+15558675310',
    });
  });

  it('a repeated form field keeps its first value; blanks are absent; values are trimmed', () => {
    const form = new URLSearchParams('MessageSid=+SM1+&MessageSid=SM2&MessageStatus=sent&ErrorCode=&To=');
    const report = parseTwilioDeliveryReport(form);
    expect(report.messageId).toBe('SM1');
    expect(report.errorCode).toBeUndefined();
    expect(report.to).toBeUndefined();
  });

  it('ignores fields it does not know (Twilio adds fields without notice)', () => {
    const report = parseTwilioDeliveryReport(
      callback({ MessageStatus: 'sent', RawDlrDoneDate: '2507301212', Foo: 'bar' }),
    );
    expect(Object.keys(report).sort()).toEqual([
      'at',
      'messageId',
      'provider',
      'providerStatus',
      'status',
      'to',
    ]);
  });

  it('is the provider’s parseDeliveryReport', () => {
    const provider = createTwilioProvider({
      accountSid: `AC${'0'.repeat(32)}`,
      authToken: 'token',
      from: 'OTPKIT',
    });
    expect(provider.parseDeliveryReport).toBe(parseTwilioDeliveryReport);
  });
});

describe('parseTwilioDeliveryReport: refuses what is not a status callback', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an array', [SID]],
    ['an empty object', {}],
    ['no MessageSid', { MessageStatus: 'delivered' }],
    ['a blank MessageSid', { MessageSid: '  ', MessageStatus: 'delivered' }],
    ['a legacy SmsSid only', { SmsSid: SID, SmsStatus: 'delivered' }],
    ['snake_case fields', { message_sid: SID, status: 'delivered' }],
    ['an empty form', new URLSearchParams()],
    ['an empty string', ''],
  ])('%s → INVALID_INPUT', (_, payload) => {
    expect(() => parseTwilioDeliveryReport(payload)).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT', provider: 'twilio' }),
    );
  });
});
