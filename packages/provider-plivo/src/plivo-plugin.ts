import { defineProviderPlugin } from '@otpkit/core';
import { PlivoOptionsSchema, type PlivoProviderOptions } from './plivo-options.js';
import { createPlivoProvider } from './plivo-provider.js';

/**
 * The Plivo plugin for configuration-driven selection: `provider: "plivo"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=plivo` with `configFromEnv`, reading `PLIVO_AUTH_ID`, `PLIVO_AUTH_TOKEN`,
 * `PLIVO_SRC`, `PLIVO_POWERPACK_UUID`, `PLIVO_CALLBACK_URL`, `PLIVO_DLT_ENTITY_ID`,
 * `PLIVO_DLT_TEMPLATE_ID`, `PLIVO_DLT_TEMPLATE_CATEGORY`, `PLIVO_BASE_URL` and `PLIVO_TIMEOUT_MS`.
 */
export const plivoPlugin = defineProviderPlugin({
  id: 'plivo',
  options: PlivoOptionsSchema,
  env: {
    PLIVO_AUTH_ID: 'authId',
    PLIVO_AUTH_TOKEN: 'authToken',
    PLIVO_SRC: 'src',
    PLIVO_POWERPACK_UUID: 'powerpackUuid',
    PLIVO_CALLBACK_URL: 'callbackUrl',
    PLIVO_DLT_ENTITY_ID: 'dltEntityId',
    PLIVO_DLT_TEMPLATE_ID: 'dltTemplateId',
    PLIVO_DLT_TEMPLATE_CATEGORY: 'dltTemplateCategory',
    PLIVO_BASE_URL: 'baseUrl',
    PLIVO_TIMEOUT_MS: { option: 'timeoutMs', parse: Number },
  },
  create: (options) => createPlivoProvider(options as PlivoProviderOptions),
});
