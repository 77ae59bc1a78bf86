import { defineProviderPlugin } from '@otpkit/core';
import { TelnyxOptionsSchema, type TelnyxProviderOptions } from './telnyx-options.js';
import { createTelnyxProvider } from './telnyx-provider.js';

/**
 * The Telnyx plugin for configuration-driven selection: `provider: "telnyx"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=telnyx` with `configFromEnv`, reading `TELNYX_API_KEY`, `TELNYX_FROM`,
 * `TELNYX_MESSAGING_PROFILE_ID`, `TELNYX_WEBHOOK_URL`, `TELNYX_WEBHOOK_FAILOVER_URL`,
 * `TELNYX_PUBLIC_KEY`, `TELNYX_BASE_URL` and `TELNYX_TIMEOUT_MS`.
 */
export const telnyxPlugin = defineProviderPlugin({
  id: 'telnyx',
  options: TelnyxOptionsSchema,
  env: {
    TELNYX_API_KEY: 'apiKey',
    TELNYX_FROM: 'from',
    TELNYX_MESSAGING_PROFILE_ID: 'messagingProfileId',
    TELNYX_WEBHOOK_URL: 'webhookUrl',
    TELNYX_WEBHOOK_FAILOVER_URL: 'webhookFailoverUrl',
    TELNYX_PUBLIC_KEY: 'publicKey',
    TELNYX_BASE_URL: 'baseUrl',
    TELNYX_TIMEOUT_MS: { option: 'timeoutMs', parse: Number },
  },
  create: (options) => createTelnyxProvider(options as TelnyxProviderOptions),
});
