import { createPlivoProvider, signPlivoV3 } from '@otpkit/provider-plivo';
import { createPlivoEmulator } from '@otpkit/provider-plivo/testing';
import { plivoWebhook } from '../../plivo.js';
import { withCallbackUrl } from '../../with-callback-url.js';
import { formPost, type VendorFixture } from '../vendor-fixture.js';

/** Test secret, never a real one. */
export const PLIVO_AUTH_TOKEN = 'plivo-test-auth-token-0123456789';
const AUTH_ID = 'MATESTAUTHID00000000';

export const plivo: VendorFixture = {
  statuses: { delivered: 'delivered', undelivered: 'undelivered' },
  secrets: [PLIVO_AUTH_TOKEN],
  receipt: (messageId, status) => ({
    MessageUUID: messageId,
    Status: status,
    To: '14155550123',
    ErrorCode: '000',
  }),
  async rig(publicUrl) {
    const emulator = createPlivoEmulator({ authId: AUTH_ID, authToken: PLIVO_AUTH_TOKEN });
    const served = await emulator.listen();
    const hook = plivoWebhook({ authToken: PLIVO_AUTH_TOKEN, publicUrl });
    const provider = createPlivoProvider({
      authId: AUTH_ID,
      authToken: PLIVO_AUTH_TOKEN,
      src: '+14155550100',
      baseUrl: served.url,
    });
    return {
      emulator,
      served,
      hook,
      provider: withCallbackUrl(provider, hook.callbackUrl),
      // The emulator signs V2 (URL and nonce); forged calls are signed V3, which covers the fields too.
      forge(url, fields, mode) {
        const nonce = '12345678901234567890';
        const key = mode === 'wrong-secret' ? 'another-auth-token' : PLIVO_AUTH_TOKEN;
        const signature = signPlivoV3({ method: 'POST', url, params: fields, nonce }, key);
        const sent = mode === 'tampered' ? { ...fields, Status: `${fields.Status}x` } : fields;
        const headers = { 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': nonce };
        return formPost(url, sent, mode === 'missing' ? {} : headers);
      },
    };
  },
};
