import { generateKeyPairSync, sign } from 'node:crypto';
import { createTelnyxProvider } from '@otpkit/provider-telnyx';
import { createTelnyxEmulator } from '@otpkit/provider-telnyx/testing';
import { telnyxWebhook } from '../../telnyx.js';
import { withCallbackUrl } from '../../with-callback-url.js';
import { jsonPost, type VendorFixture } from '../vendor-fixture.js';

const API_KEY = 'KEY-telnyx-test-api-key';
/** A key that is not the emulator's: what a forger would sign with. */
const other = generateKeyPairSync('ed25519').privateKey;

export const telnyx: VendorFixture = {
  statuses: { delivered: 'delivered', undelivered: 'delivery_failed' },
  secrets: [API_KEY],
  receipt: (messageId, status) => ({ id: messageId, status }),
  async rig(publicUrl) {
    const emulator = createTelnyxEmulator({ apiKey: API_KEY });
    const served = await emulator.listen();
    const hook = telnyxWebhook({ publicKey: emulator.publicKey, publicUrl });
    const provider = createTelnyxProvider({
      apiKey: API_KEY,
      from: '+15005550006',
      publicKey: emulator.publicKey,
      baseUrl: served.url,
    });
    return {
      emulator,
      served,
      hook,
      provider: withCallbackUrl(provider, hook.callbackUrl),
      // Only the emulator holds Telnyx's private key, so a signed body is one it makes: `id` and
      // `status` are its message id and status (no id: a signed webhook the parser refuses). A `pad`
      // (the 413 case) goes into the body after signing; other fields are not sent.
      forge(url, { id = '', status = 'delivered', pad }, mode) {
        const signed = emulator.webhook(id, status);
        const headers: Record<string, string> = { ...signed.headers };
        let body = signed.body;
        if (pad !== undefined) body = body.replace('"meta":{', `"meta":{"pad":"${pad}",`);
        if (mode === 'tampered') body = body.replaceAll(`"${status}"`, '"delivery_failed"');
        if (mode === 'wrong-secret') {
          const text = `${headers['telnyx-timestamp']}|${body}`;
          headers['telnyx-signature-ed25519'] = sign(null, Buffer.from(text), other).toString('base64');
        }
        if (mode === 'missing') delete headers['telnyx-signature-ed25519'];
        return jsonPost(url, body, headers);
      },
    };
  },
};
