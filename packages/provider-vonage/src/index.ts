export type { VonageDeliveryReport } from './vonage-delivery-report.js';
export {
  parseVonageDeliveryReport,
  VONAGE_DELIVERY_STATUSES,
  VONAGE_MESSAGE_TIMESTAMP_ZONE,
} from './vonage-delivery-report.js';
export type { VonageStatusRule } from './vonage-errors.js';
export { VONAGE_ERROR_CODES } from './vonage-errors.js';
export { GSM7_CHARSET, isGsm7 } from './vonage-gsm7.js';
export type { ResolvedVonageOptions, VonageProviderOptions } from './vonage-options.js';
export {
  resolveVonageOptions,
  VONAGE_DEFAULT_BASE_URL,
  VONAGE_TTL_RANGE_MS,
  VonageOptionsSchema,
} from './vonage-options.js';
export { vonagePlugin } from './vonage-plugin.js';
export type { VonageProvider, VonageSendReply } from './vonage-provider.js';
export {
  createVonageProvider,
  VONAGE_CLIENT_REF_MAX_LENGTH,
  VonageSendReplySchema,
} from './vonage-provider.js';
export type {
  VerifyVonageSignatureOptions,
  VonageSignatureAlgorithm,
  VonageSignatureOptions,
} from './vonage-signature.js';
export { signVonageParams, VONAGE_SIGNATURE_MAX_AGE_MS, verifyVonageSignature } from './vonage-signature.js';
