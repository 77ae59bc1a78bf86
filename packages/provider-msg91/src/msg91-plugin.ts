import { defineProviderPlugin } from '@otpkit/core';
import { Msg91OptionsSchema, type Msg91ProviderOptions } from './msg91-options.js';
import { createMsg91Provider } from './msg91-provider.js';

/**
 * The MSG91 plugin for configuration-driven selection: `provider: "msg91"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=msg91` with `configFromEnv`, reading `MSG91_AUTH_KEY`, `MSG91_TEMPLATE_ID`,
 * `MSG91_SENDER`, `MSG91_CODE_VARIABLE`, `MSG91_BASE_URL` and `MSG91_TIMEOUT_MS`.
 */
export const msg91Plugin = defineProviderPlugin({
  id: 'msg91',
  options: Msg91OptionsSchema,
  env: {
    MSG91_AUTH_KEY: 'authKey',
    MSG91_TEMPLATE_ID: 'templateId',
    MSG91_SENDER: 'sender',
    MSG91_CODE_VARIABLE: 'codeVariable',
    MSG91_BASE_URL: 'baseUrl',
    MSG91_TIMEOUT_MS: { option: 'timeoutMs', parse: Number },
  },
  create: (options) => createMsg91Provider(options as Msg91ProviderOptions),
});
