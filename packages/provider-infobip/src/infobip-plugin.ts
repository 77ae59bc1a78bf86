import { defineProviderPlugin } from '@otpkit/core';
import { InfobipOptionsSchema, type InfobipProviderOptions } from './infobip-options.js';
import { createInfobipProvider } from './infobip-provider.js';

/** `INFOBIP_BASE_URL` as the portal shows it, a bare host (`xxxxx.api.infobip.com`), gets `https://`. */
const withScheme = (value: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);

/**
 * The Infobip plugin for configuration-driven selection: `provider: "infobip"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=infobip` with `configFromEnv`, reading `INFOBIP_API_KEY`, `INFOBIP_BASE_URL`,
 * `INFOBIP_SENDER`, `INFOBIP_CALLBACK_URL`, `INFOBIP_PRINCIPAL_ENTITY_ID` and `INFOBIP_TIMEOUT_MS`.
 */
export const infobipPlugin = defineProviderPlugin({
  id: 'infobip',
  options: InfobipOptionsSchema,
  env: {
    INFOBIP_API_KEY: 'apiKey',
    INFOBIP_BASE_URL: { option: 'baseUrl', parse: withScheme },
    INFOBIP_SENDER: 'sender',
    INFOBIP_CALLBACK_URL: 'callbackUrl',
    INFOBIP_PRINCIPAL_ENTITY_ID: 'principalEntityId',
    INFOBIP_TIMEOUT_MS: { option: 'timeoutMs', parse: Number },
  },
  create: (options) => createInfobipProvider(options as InfobipProviderOptions),
});
