export type { SinchDeliveryReport } from './sinch-delivery-report.js';
export { parseSinchDeliveryReport, SINCH_DELIVERY_STATUSES } from './sinch-delivery-report.js';
export { SINCH_ERROR_CODES } from './sinch-errors.js';
export type {
  ResolvedSinchOptions,
  SinchDeliveryReportKind,
  SinchProviderOptions,
  SinchRegion,
} from './sinch-options.js';
export {
  resolveSinchOptions,
  SINCH_DEFAULT_BASE_URL,
  SINCH_REGIONS,
  SinchOptionsSchema,
  sinchRegionHost,
} from './sinch-options.js';
export { sinchPlugin } from './sinch-plugin.js';
export type { SinchProvider, SinchSuccessReply } from './sinch-provider.js';
export { createSinchProvider, SinchSuccessSchema } from './sinch-provider.js';
export type {
  SinchCallbackHeaders,
  SinchSignatureInput,
  VerifySinchSignatureOptions,
} from './sinch-signature.js';
export {
  SINCH_SIGNATURE_MAX_AGE_MS,
  signSinchCallback,
  verifySinchSignature,
} from './sinch-signature.js';
