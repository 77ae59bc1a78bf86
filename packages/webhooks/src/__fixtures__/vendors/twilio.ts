import { createTwilioProvider } from '@otpkit/provider-twilio';
import { computeTwilioSignature, createTwilioEmulator } from '@otpkit/provider-twilio/testing';
import { twilioWebhook } from '../../twilio.js';
import { withCallbackUrl } from '../../with-callback-url.js';
import { formPost, type VendorFixture } from '../vendor-fixture.js';

/** Test secrets, never real ones. */
export const TWILIO_AUTH_TOKEN = 'twilio-test-auth-token-0123456789';
export const ACCOUNT_SID = `AC${'ab'.repeat(16)}`;

export const twilio: VendorFixture = {
  statuses: { delivered: 'delivered', undelivered: 'undelivered' },
  secrets: [TWILIO_AUTH_TOKEN],
  receipt: (messageId, status) => ({ MessageSid: messageId, MessageStatus: status, To: '+14155550123' }),
  async rig(publicUrl) {
    const emulator = createTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    const served = await emulator.listen();
    const hook = twilioWebhook({ authToken: TWILIO_AUTH_TOKEN, publicUrl });
    const provider = createTwilioProvider({
      accountSid: ACCOUNT_SID,
      authToken: TWILIO_AUTH_TOKEN,
      from: '+15017122661',
      baseUrl: served.url,
    });
    return {
      emulator,
      served,
      hook,
      provider: withCallbackUrl(provider, hook.callbackUrl),
      forge(url, fields, mode) {
        const key = mode === 'wrong-secret' ? 'not-the-token' : TWILIO_AUTH_TOKEN;
        const signature = computeTwilioSignature(key, url, fields);
        const sent = mode === 'tampered' ? { ...fields, MessageStatus: `${fields.MessageStatus}x` } : fields;
        return formPost(url, sent, mode === 'missing' ? {} : { 'x-twilio-signature': signature });
      },
    };
  },
};
