import { defineProviderPlugin } from '@otpkit/core';
import { VonageOptionsSchema, type VonageProviderOptions } from './vonage-options.js';
import { createVonageProvider } from './vonage-provider.js';

/**
 * The Vonage plugin for configuration-driven selection: `provider: "vonage"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=vonage` with `configFromEnv`, reading `VONAGE_API_KEY`, `VONAGE_SENDER`,
 * `VONAGE_BASE_URL` and `VONAGE_TIMEOUT_MS`.
 */
export const vonagePlugin = defineProviderPlugin({
  id: 'vonage',
  options: VonageOptionsSchema,
  env: {
    VONAGE_API_KEY: 'apiKey',
    VONAGE_SENDER: 'sender',
    VONAGE_BASE_URL: 'baseUrl',
    VONAGE_TIMEOUT_MS: { option: 'timeoutMs', parse: Number },
  },
  create: (options) => createVonageProvider(options as VonageProviderOptions),
});
