import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/provider-setup.js';
import { parseTelnyxDeliveryReport, TELNYX_DELIVERY_STATUSES } from './telnyx-delivery-report.js';
import { createTelnyxEmulator } from './testing.js';

const FINALIZED = fixture('webhook-finalized.json');
const ID = '40385f64-5717-4562-b3fc-2c963f66afa6';

const event = (status: string, errors: unknown[] = [], eventType = 'message.finalized') => ({
  data: {
    event_type: eventType,
    id: 'evt-1',
    occurred_at: '2024-05-01T10:00:00.000+00:00',
    payload: { id: ID, to: [{ phone_number: '+14155550123', status }], errors },
    record_type: 'event',
  },
});

describe('parseTelnyxDeliveryReport', () => {
  it('reads the documented message.finalized webhook, parsed or as the raw body', () => {
    for (const payload of [JSON.parse(FINALIZED), FINALIZED]) {
      expect(parseTelnyxDeliveryReport(payload)).toEqual({
        provider: 'telnyx',
        messageId: ID,
        to: '+14155550123',
        status: 'delivered',
        providerStatus: 'delivered',
        at: new Date('2019-12-09T21:32:14.148Z'),
        eventId: '4ee8c3a6-4995-4309-a3c6-38e3db9ea4be',
        eventType: 'message.finalized',
      });
    }
  });

  it('maps each documented status', () => {
    const expected = {
      queued: 'pending',
      sending: 'pending',
      sent: 'pending',
      delivered: 'delivered',
      read: 'delivered',
      sending_failed: 'undelivered',
      delivery_failed: 'undelivered',
      expired: 'undelivered',
      delivery_unconfirmed: 'unknown',
      webhook_delivered: 'unknown',
    };
    for (const [status, ours] of Object.entries(expected)) {
      expect([status, parseTelnyxDeliveryReport(event(status)).status]).toEqual([status, ours]);
    }
    expect(Object.keys(TELNYX_DELIVERY_STATUSES)).toHaveLength(9);
  });

  it('keeps the first error code of a failed delivery, and message.sent as pending', () => {
    const failed = parseTelnyxDeliveryReport(
      event('delivery_failed', [{ code: '40008', title: 'Undeliverable' }, { code: '40001' }]),
    );
    expect(failed).toMatchObject({ status: 'undelivered', errorCode: '40008' });
    expect(parseTelnyxDeliveryReport(event('sending_failed', [{ code: 40002 }])).errorCode).toBe('40002');
    expect(parseTelnyxDeliveryReport(event('sent', [], 'message.sent'))).toMatchObject({
      status: 'pending',
      eventType: 'message.sent',
    });
  });

  it("reads the emulator's signed webhooks", () => {
    const emulator = createTelnyxEmulator();
    const { body } = emulator.webhook(ID, 'delivery_failed', { errorCode: '40006', to: '+447700900000' });
    expect(parseTelnyxDeliveryReport(body)).toMatchObject({
      messageId: ID,
      status: 'undelivered',
      errorCode: '40006',
      to: '+447700900000',
      eventType: 'message.finalized',
    });
  });

  it('dates the report now without a readable occurred_at', () => {
    const before = Date.now();
    const payload = event('delivered');
    payload.data.occurred_at = 'yesterday';
    expect(parseTelnyxDeliveryReport(payload).at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('refuses what is not a message webhook with INVALID_INPUT', () => {
    const bad = [
      undefined,
      null,
      '',
      '{not json',
      'id=1&status=delivered',
      {},
      { data: {} },
      { data: { payload: [] } },
      { data: { payload: { to: [{ status: 'delivered' }] } } },
      { data: { payload: { id: 'x\r\ny', to: [] } } },
      [event('delivered')],
    ];
    for (const payload of bad) {
      let thrown: unknown;
      try {
        parseTelnyxDeliveryReport(payload);
      } catch (error) {
        thrown = error;
      }
      expect(isOtpError(thrown, 'INVALID_INPUT')).toBe(true);
    }
  });

  it('a webhook without a recipient status is unknown, not refused', () => {
    expect(parseTelnyxDeliveryReport({ data: { payload: { id: ID } } })).toMatchObject({
      messageId: ID,
      status: 'unknown',
      providerStatus: '',
    });
  });
});
