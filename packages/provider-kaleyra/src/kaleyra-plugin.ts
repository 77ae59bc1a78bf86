import { defineProviderPlugin } from '@otpkit/core';
import { KaleyraOptionsSchema, type KaleyraProviderOptions } from './kaleyra-options.js';
import { createKaleyraProvider } from './kaleyra-provider.js';

/**
 * The Kaleyra plugin for configuration-driven selection: `provider: "kaleyra"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=kaleyra` with `configFromEnv`, reading `KALEYRA_SID`, `KALEYRA_API_KEY`,
 * `KALEYRA_SENDER`, `KALEYRA_REGION`, `KALEYRA_BASE_URL`, `KALEYRA_TEMPLATE_ID`, `KALEYRA_CALLBACK_URL`.
 */
export const kaleyraPlugin = defineProviderPlugin({
  id: 'kaleyra',
  options: KaleyraOptionsSchema,
  env: {
    KALEYRA_SID: 'sid',
    KALEYRA_API_KEY: 'apiKey',
    KALEYRA_SENDER: 'sender',
    KALEYRA_REGION: 'region',
    KALEYRA_BASE_URL: 'baseUrl',
    KALEYRA_TEMPLATE_ID: 'templateId',
    KALEYRA_CALLBACK_URL: 'callbackUrl',
  },
  create: (options) => createKaleyraProvider(options as KaleyraProviderOptions),
});
