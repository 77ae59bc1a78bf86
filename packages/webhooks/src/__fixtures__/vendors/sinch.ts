import { createSinchProvider, signSinchCallback } from '@otpkit/provider-sinch';
import { createSinchEmulator } from '@otpkit/provider-sinch/testing';
import { sinchWebhook } from '../../sinch.js';
import { withCallbackUrl } from '../../with-callback-url.js';
import { jsonPost, type VendorFixture } from '../vendor-fixture.js';

/** Test secrets, never real ones. */
export const SINCH_WEBHOOK_SECRET = 'sinch-test-webhook-secret-0123456';
const API_TOKEN = 'sinch-test-api-token';

export const sinch: VendorFixture = {
  statuses: { delivered: 'Delivered', undelivered: 'Failed' },
  secrets: [SINCH_WEBHOOK_SECRET, API_TOKEN],
  receipt: (messageId, status) => ({
    type: 'recipient_delivery_report_sms',
    batch_id: messageId,
    recipient: '14155550123',
    status,
    at: new Date().toISOString(),
  }),
  async rig(publicUrl) {
    const credentials = { servicePlanId: 'test-plan', apiToken: API_TOKEN };
    const emulator = createSinchEmulator({ ...credentials, webhookSecret: SINCH_WEBHOOK_SECRET });
    const served = await emulator.listen();
    const hook = sinchWebhook({ webhookSecret: SINCH_WEBHOOK_SECRET, publicUrl });
    const provider = createSinchProvider({ ...credentials, from: '+14155550100', baseUrl: served.url });
    return {
      emulator,
      served,
      hook,
      provider: withCallbackUrl(provider, hook.callbackUrl),
      forge(url, fields, mode) {
        const body = JSON.stringify(fields);
        const nonce = '01HZXTESTNONCE0000000000';
        const timestamp = String(Math.floor(Date.now() / 1000));
        const secret = mode === 'wrong-secret' ? 'another-webhook-secret' : SINCH_WEBHOOK_SECRET;
        const signature = signSinchCallback(body, { secret, nonce, timestamp });
        const sent = mode === 'tampered' ? JSON.stringify({ ...fields, status: 'Failed' }) : body;
        const headers = {
          'x-sinch-webhook-signature': signature,
          'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
          'x-sinch-webhook-signature-nonce': nonce,
          'x-sinch-webhook-signature-timestamp': timestamp,
        };
        return jsonPost(url, sent, mode === 'missing' ? {} : headers);
      },
    };
  },
};
