import { createKaleyraProvider } from '@otpkit/provider-kaleyra';
import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { kaleyraWebhook } from '../../kaleyra.js';
import { tokenCallback, type VendorFixture } from '../vendor-fixture.js';

/** Test secret, never a real one. */
export const KALEYRA_TOKEN = 'kaleyra-test-token-0123456789abcdef';

export const kaleyra: VendorFixture = {
  statuses: { delivered: 'delivered', undelivered: 'undelivered' },
  secrets: [KALEYRA_TOKEN],
  receipt: (messageId, status) => ({ message_id: messageId, status, recipient: '14155550123' }),
  async rig(publicUrl) {
    const emulator = createKaleyraEmulator({ sid: 'HXTEST00000IN', apiKey: 'kaleyra-key' });
    const served = await emulator.listen();
    const hook = kaleyraWebhook({ token: KALEYRA_TOKEN, publicUrl });
    const provider = createKaleyraProvider({
      sid: 'HXTEST00000IN',
      apiKey: 'kaleyra-key',
      sender: 'KLRHXA',
      baseUrl: served.url,
      callbackUrl: hook.callbackUrl,
    });
    return {
      emulator,
      served,
      hook,
      provider,
      forge: (url, fields, mode) =>
        tokenCallback(url, KALEYRA_TOKEN, mode, new URLSearchParams(fields).toString(), false),
    };
  },
};
