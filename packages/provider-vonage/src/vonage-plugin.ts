import { defineProviderPlugin } from '@otpkit/core';
import { VonageOptionsSchema, type VonageProviderOptions } from './vonage-options.js';
import { createVonageProvider } from './vonage-provider.js';

/**
 * The Vonage plugin for configuration-driven selection: `provider: "vonage"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=vonage` with `configFromEnv`, reading `VONAGE_API_KEY`, `VONAGE_API_SECRET`,
 * `VONAGE_FROM` and `VONAGE_BASE_URL`.
 */
export const vonagePlugin = defineProviderPlugin({
  id: 'vonage',
  options: VonageOptionsSchema,
  env: {
    VONAGE_API_KEY: 'apiKey',
    VONAGE_API_SECRET: 'apiSecret',
    VONAGE_FROM: 'from',
    VONAGE_BASE_URL: 'baseUrl',
  },
  create: (options) => createVonageProvider(options as VonageProviderOptions),
});
