import { createVonageProvider, signVonageParams } from '@otpkit/provider-vonage';
import { createVonageEmulator } from '@otpkit/provider-vonage/testing';
import { vonageWebhook } from '../../vonage.js';
import { withCallbackUrl } from '../../with-callback-url.js';
import { jsonPost, type VendorFixture } from '../vendor-fixture.js';

/** Test secret, never a real one. */
export const VONAGE_SIGNATURE_SECRET = 'vonage-test-signature-secret-0123';

export const vonage: VendorFixture = {
  statuses: { delivered: 'delivered', undelivered: 'undelivered' },
  secrets: [VONAGE_SIGNATURE_SECRET],
  receipt: (messageId, status) => ({ messageId, status, msisdn: '14155550123', 'err-code': '0', to: 'Acme' }),
  async rig(publicUrl) {
    const emulator = createVonageEmulator({
      apiKey: 'vonage-key',
      apiSecret: 'vonage-api-secret',
      signatureSecret: VONAGE_SIGNATURE_SECRET,
    });
    const served = await emulator.listen();
    const hook = vonageWebhook({ signatureSecret: VONAGE_SIGNATURE_SECRET, publicUrl });
    const provider = createVonageProvider({
      apiKey: 'vonage-key',
      apiSecret: 'vonage-api-secret',
      from: 'Acme',
      baseUrl: served.url,
    });
    return {
      emulator,
      served,
      hook,
      provider: withCallbackUrl(provider, hook.callbackUrl),
      forge(url, fields, mode) {
        const signed: Record<string, string> = {
          ...fields,
          timestamp: String(Math.floor(Date.now() / 1000)),
          nonce: 'n-1',
        };
        const secret = mode === 'wrong-secret' ? 'another-secret' : VONAGE_SIGNATURE_SECRET;
        signed.sig = signVonageParams(signed, { secret });
        if (mode === 'tampered') signed.status = `${signed.status}x`;
        if (mode === 'missing') delete signed.sig;
        return jsonPost(url, JSON.stringify(signed), {});
      },
    };
  },
};
