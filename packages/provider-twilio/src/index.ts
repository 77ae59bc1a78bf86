export { parseTwilioDeliveryReport, TWILIO_DELIVERY_STATUSES } from './twilio-delivery-report.js';
export { TWILIO_ERROR_CODES } from './twilio-errors.js';
export type { ResolvedTwilioOptions, TwilioProviderOptions } from './twilio-options.js';
export {
  resolveTwilioOptions,
  TWILIO_DEFAULT_BASE_URL,
  TWILIO_MAX_VALIDITY_PERIOD_S,
  TwilioOptionsSchema,
} from './twilio-options.js';
export { twilioPlugin } from './twilio-plugin.js';
export type { TwilioProvider, TwilioSuccessReply } from './twilio-provider.js';
export { createTwilioProvider, parseTwilioDate, TwilioSuccessSchema } from './twilio-provider.js';
export type { TwilioSignedParams, VerifyTwilioSignatureInput } from './twilio-signature.js';
export { verifyTwilioSignature } from './twilio-signature.js';
