import { defineProviderPlugin } from '@otpkit/core';
import { TwilioOptionsSchema, type TwilioProviderOptions } from './twilio-options.js';
import { createTwilioProvider } from './twilio-provider.js';

/**
 * The Twilio plugin for configuration-driven selection: `provider: "twilio"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=twilio` with `configFromEnv`, reading `TWILIO_API_KEY`, `TWILIO_SENDER`,
 * `TWILIO_BASE_URL` and `TWILIO_TIMEOUT_MS`.
 */
export const twilioPlugin = defineProviderPlugin({
  id: 'twilio',
  options: TwilioOptionsSchema,
  env: {
    TWILIO_API_KEY: 'apiKey',
    TWILIO_SENDER: 'sender',
    TWILIO_BASE_URL: 'baseUrl',
    TWILIO_TIMEOUT_MS: { option: 'timeoutMs', parse: Number },
  },
  create: (options) => createTwilioProvider(options as TwilioProviderOptions),
});
