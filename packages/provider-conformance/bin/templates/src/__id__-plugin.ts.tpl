import { defineProviderPlugin } from '@otpkit/core';
import { __Name__OptionsSchema, type __Name__ProviderOptions } from './__id__-options.js';
import { create__Name__Provider } from './__id__-provider.js';

/**
 * The __Name__ plugin for configuration-driven selection: `provider: "__id__"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=__id__` with `configFromEnv`, reading `__ID___API_KEY`, `__ID___SENDER`,
 * `__ID___BASE_URL` and `__ID___TIMEOUT_MS`.
 */
export const __name__Plugin = defineProviderPlugin({
  id: '__id__',
  options: __Name__OptionsSchema,
  env: {
    __ID___API_KEY: 'apiKey',
    __ID___SENDER: 'sender',
    __ID___BASE_URL: 'baseUrl',
    __ID___TIMEOUT_MS: { option: 'timeoutMs', parse: Number },
  },
  create: (options) => create__Name__Provider(options as __Name__ProviderOptions),
});
