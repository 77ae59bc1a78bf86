import { defineProviderPlugin } from '@otpkit/core';
import { TwilioOptionsSchema, type TwilioProviderOptions } from './twilio-options.js';
import { createTwilioProvider } from './twilio-provider.js';

/**
 * The Twilio plugin for configuration-driven selection: `provider: "twilio"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=twilio` with `configFromEnv`, reading `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN` (or
 * `TWILIO_API_KEY_SID` and `TWILIO_API_KEY_SECRET`), `TWILIO_FROM` (or `TWILIO_MESSAGING_SERVICE_SID`)
 * and `TWILIO_BASE_URL`.
 */
export const twilioPlugin = defineProviderPlugin({
  id: 'twilio',
  options: TwilioOptionsSchema,
  env: {
    TWILIO_ACCOUNT_SID: 'accountSid',
    TWILIO_AUTH_TOKEN: 'authToken',
    TWILIO_API_KEY_SID: 'apiKeySid',
    TWILIO_API_KEY_SECRET: 'apiKeySecret',
    TWILIO_FROM: 'from',
    TWILIO_MESSAGING_SERVICE_SID: 'messagingServiceSid',
    TWILIO_BASE_URL: 'baseUrl',
  },
  create: (options) => createTwilioProvider(options as TwilioProviderOptions),
});
