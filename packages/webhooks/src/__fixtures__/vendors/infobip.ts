import { createInfobipProvider } from '@otpkit/provider-infobip';
import { createInfobipEmulator } from '@otpkit/provider-infobip/testing';
import { infobipWebhook } from '../../infobip.js';
import { tokenCallback, type VendorFixture } from '../vendor-fixture.js';

/** Test secret, never a real one. */
export const INFOBIP_TOKEN = 'infobip-test-token-0123456789abcdef';

/** Infobip's webhook body: `{ results: [...] }`, each result's `group` and `name` as its `status`. */
export const infobipBody = (...results: Record<string, string>[]) =>
  JSON.stringify({
    results: results.map(({ group, name, ...result }) => ({ ...result, status: { groupName: group, name } })),
  });

export const infobip: VendorFixture = {
  statuses: { delivered: 'DELIVERED_TO_HANDSET', undelivered: 'UNDELIVERABLE_NOT_DELIVERED' },
  secrets: [INFOBIP_TOKEN],
  receipt: (messageId, status) => ({
    messageId,
    to: '14155550123',
    group: status.split('_')[0]!,
    name: status,
  }),
  async rig(publicUrl) {
    const emulator = createInfobipEmulator({ apiKey: 'infobip-key' });
    const served = await emulator.listen();
    const hook = infobipWebhook({ token: INFOBIP_TOKEN, publicUrl });
    const provider = createInfobipProvider({
      apiKey: 'infobip-key',
      baseUrl: served.url,
      sender: 'Acme',
      callbackUrl: hook.callbackUrl,
    });
    return {
      emulator,
      served,
      hook,
      provider,
      forge: (url, fields, mode) => tokenCallback(url, INFOBIP_TOKEN, mode, infobipBody(fields), true),
    };
  },
};
