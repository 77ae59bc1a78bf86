// The public surface: every module's exports (the signature module's check, not its signer for tests).
export * from './twilio-delivery-report.js';
export * from './twilio-errors.js';
export * from './twilio-options.js';
export * from './twilio-plugin.js';
export * from './twilio-provider.js';
export type { TwilioSignedParams, VerifyTwilioSignatureInput } from './twilio-signature.js';
export { verifyTwilioSignature } from './twilio-signature.js';
