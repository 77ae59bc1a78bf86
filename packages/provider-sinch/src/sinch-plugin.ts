import { defineProviderPlugin } from '@otpkit/core';
import { SinchOptionsSchema, type SinchProviderOptions } from './sinch-options.js';
import { createSinchProvider } from './sinch-provider.js';

/**
 * The Sinch plugin for configuration-driven selection: `provider: "sinch"` in `createOtpKit`, or
 * `OTPKIT_PROVIDER=sinch` with `configFromEnv`, reading `SINCH_SERVICE_PLAN_ID`, `SINCH_API_TOKEN`,
 * `SINCH_FROM`, `SINCH_REGION`, `SINCH_CALLBACK_URL`, `SINCH_DELIVERY_REPORT`, `SINCH_BASE_URL` and
 * `SINCH_TIMEOUT_MS`.
 */
export const sinchPlugin = defineProviderPlugin({
  id: 'sinch',
  options: SinchOptionsSchema,
  env: {
    SINCH_SERVICE_PLAN_ID: 'servicePlanId',
    SINCH_API_TOKEN: 'apiToken',
    SINCH_FROM: 'from',
    SINCH_REGION: 'region',
    SINCH_CALLBACK_URL: 'callbackUrl',
    SINCH_DELIVERY_REPORT: 'deliveryReport',
    SINCH_BASE_URL: 'baseUrl',
    SINCH_TIMEOUT_MS: { option: 'timeoutMs', parse: Number },
  },
  create: (options) => createSinchProvider(options as SinchProviderOptions),
});
