import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { parsePlivoDeliveryReport } from './plivo-delivery-report.js';

const callback = {
  MessageUUID: '5b40a428-bfc7-4daf-9d06-726c558bf3b8',
  To: '919812345678',
  From: 'PLIVO',
  Type: 'sms',
  Status: 'delivered',
  Units: '1',
  TotalRate: '0.0025',
  TotalAmount: '0.0025',
  MCC: '404',
  MNC: '10',
  ErrorCode: '000',
  Sequence: '3',
  MessageTime: '2024-08-21 18:28:49.244057',
  DeliveryReportTime: '2024-08-21 18:28:52.871203',
  PowerpackUUID: '',
};

describe('parsePlivoDeliveryReport', () => {
  const expected = {
    provider: 'plivo',
    messageId: callback.MessageUUID,
    to: '+919812345678',
    status: 'delivered',
    providerStatus: 'delivered',
    at: new Date('2024-08-21T18:28:52.871Z'),
  };

  it('reads a POST form, a GET query string, a parsed object and JSON text alike; 000 is no error', () => {
    const form = new URLSearchParams(callback);
    expect(parsePlivoDeliveryReport(form)).toEqual(expected);
    expect(parsePlivoDeliveryReport(form.toString())).toEqual(expected);
    expect(parsePlivoDeliveryReport(callback)).toEqual(expected);
    expect(parsePlivoDeliveryReport(JSON.stringify(callback))).toEqual(expected);
  });

  it.each([
    ['queued', 'pending'],
    ['sent', 'pending'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'undelivered'],
    ['rejected', 'undelivered'],
    ['expired?', 'unknown'],
  ])('%s is %s', (Status, status) => {
    expect(parsePlivoDeliveryReport({ ...callback, Status }).status).toBe(status);
  });

  it('keeps the ErrorCode of a failed message (450: destination country barred)', () => {
    expect(parsePlivoDeliveryReport({ ...callback, Status: 'failed', ErrorCode: '450' })).toMatchObject({
      status: 'undelivered',
      errorCode: '450',
    });
  });

  it('dates by MessageTime without a DeliveryReportTime, else now', () => {
    const { DeliveryReportTime: _, ...queued } = callback;
    expect(parsePlivoDeliveryReport(queued).at).toEqual(new Date('2024-08-21T18:28:49.244Z'));
    const { MessageTime: __, ...bare } = queued;
    expect(Math.abs(parsePlivoDeliveryReport(bare).at.getTime() - Date.now())).toBeLessThan(5000);
  });

  it.each([
    ['no MessageUUID', { Status: 'delivered' }],
    ['a number', 7],
    ['null', null],
    ['unreadable JSON', '{"MessageUUID":'],
    ['a MessageUUID with CR/LF', { MessageUUID: 'a\r\nb', Status: 'sent' }],
  ])('refuses %s with INVALID_INPUT', (_name, payload) => {
    let thrown: unknown;
    try {
      parsePlivoDeliveryReport(payload);
    } catch (error) {
      thrown = error;
    }
    expect(isOtpError(thrown, 'INVALID_INPUT')).toBe(true);
  });
});
