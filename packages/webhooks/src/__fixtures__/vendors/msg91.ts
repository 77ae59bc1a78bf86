import { createMsg91Provider } from '@otpkit/provider-msg91';
import { createMsg91Emulator } from '@otpkit/provider-msg91/testing';
import { msg91Webhook } from '../../msg91.js';
import { tokenCallback, type VendorFixture } from '../vendor-fixture.js';

/** Test secret, never a real one. */
export const MSG91_TOKEN = 'msg91-test-token-0123456789abcdefgh';

/** MSG91's legacy webhook body: one form field, `data`, holding a JSON array of requests. */
export const msg91Body = (...entries: Record<string, unknown>[]) =>
  new URLSearchParams({ data: JSON.stringify(entries) }).toString();

export const msg91: VendorFixture = {
  statuses: { delivered: '1', undelivered: '2' },
  secrets: [MSG91_TOKEN],
  receipt: (messageId, status) => ({ requestId: messageId, status, number: '14155550123' }),
  async rig(publicUrl) {
    const hook = msg91Webhook({ token: MSG91_TOKEN, publicUrl });
    // MSG91 takes no URL per message: the emulator's webhookUrl is the one pasted in the panel.
    const emulator = createMsg91Emulator({ authKey: 'msg91-key', webhookUrl: hook.callbackUrl });
    const served = await emulator.listen();
    const provider = createMsg91Provider({
      authKey: 'msg91-key',
      templateId: 'otp-template',
      baseUrl: served.url,
    });
    return {
      emulator,
      served,
      hook,
      provider,
      forge: (url, fields, mode) => tokenCallback(url, MSG91_TOKEN, mode, msg91Body(fields), false),
    };
  },
};
