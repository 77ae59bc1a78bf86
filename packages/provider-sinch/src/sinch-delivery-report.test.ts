import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/sinch-setup.js';
import { parseSinchDeliveryReport, SINCH_DELIVERY_STATUSES } from './sinch-delivery-report.js';

const recipientReport = fixture('recipient-delivery-report.json');
const batchReport = fixture('batch-delivery-report.json');
const report = (fields: Record<string, unknown>) => ({
  type: 'recipient_delivery_report_sms',
  batch_id: '01JHFFHQ0P99JPPNQPJDV7JTBP',
  recipient: '33662162466',
  at: '2025-01-13T09:22:40.914Z',
  code: 0,
  ...fields,
});

describe('parseSinchDeliveryReport', () => {
  it('the docs’ per-recipient report, parsed or as its raw text', () => {
    for (const payload of [recipientReport, JSON.parse(recipientReport)]) {
      expect(parseSinchDeliveryReport(payload)).toEqual({
        provider: 'sinch',
        messageId: '01JHFFHQ0P99JPPNQPJDV7JTBP',
        to: '+33662162466',
        status: 'delivered',
        providerStatus: 'Delivered',
        at: new Date('2025-01-13T09:22:40.914Z'),
        sinch: {
          type: 'recipient_delivery_report_sms',
          clientReference: 'a client reference',
          operatorStatusAt: '2025-01-13T09:22:00Z',
        },
      });
    }
  });

  it('the docs’ batch summary: its first statuses entry, with its recipient', () => {
    expect(parseSinchDeliveryReport(batchReport)).toMatchObject({
      messageId: '01FC66621XXXXX119Z8PMV1QPQ',
      to: '+1234567890',
      status: 'delivered',
      providerStatus: 'Delivered',
      sinch: { type: 'delivery_report_sms' },
    });
    const summary = JSON.parse(batchReport);
    summary.statuses = [{ code: 402, count: 1, status: 'Aborted' }];
    expect(parseSinchDeliveryReport(summary)).toMatchObject({ status: 'undelivered', errorCode: '402' });
    expect(parseSinchDeliveryReport(summary)).not.toHaveProperty('to');
  });

  it.each([
    ['Queued', 'pending'],
    ['Dispatched', 'pending'],
    ['Delivered', 'delivered'],
    ['Failed', 'undelivered'],
    ['Rejected', 'undelivered'],
    ['Aborted', 'undelivered'],
    ['Cancelled', 'undelivered'],
    ['Deleted', 'undelivered'],
    ['Expired', 'undelivered'],
    ['Unknown', 'unknown'],
    ['SomethingNew', 'unknown'],
  ])('%s is %s', (status, expected) => {
    expect(parseSinchDeliveryReport(report({ status })).status).toBe(expected);
  });

  it('lists every documented status', () => {
    expect(Object.keys(SINCH_DELIVERY_STATUSES)).toHaveLength(10);
  });

  it('code 0 is no error; another code is the errorCode (404: a temporary failure)', () => {
    expect(parseSinchDeliveryReport(report({ status: 'Delivered' }))).not.toHaveProperty('errorCode');
    expect(parseSinchDeliveryReport(report({ status: 'Aborted', code: 404 })).errorCode).toBe('404');
  });

  it('an MMS report parses the same way; an unreadable `at` is now', () => {
    const before = Date.now();
    const parsed = parseSinchDeliveryReport(
      report({ type: 'recipient_delivery_report_mms', status: 'Delivered', at: 'yesterday' }),
    );
    expect(parsed.status).toBe('delivered');
    expect(parsed.at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it.each([
    ['an inbound message', { type: 'mo_text', id: '01X', from: '123', to: '456', body: 'hi' }],
    ['no batch_id', { type: 'recipient_delivery_report_sms', status: 'Delivered' }],
    ['unreadable JSON', '{"batch_id": '],
    ['a number', 42],
    ['null', null],
  ])('refuses %s with INVALID_INPUT', (_, payload) => {
    let thrown: unknown;
    try {
      parseSinchDeliveryReport(payload);
    } catch (error) {
      thrown = error;
    }
    expect(isOtpError(thrown, 'INVALID_INPUT')).toBe(true);
  });
});
