// The public surface: every module's exports, and the GSM-7 check the provider picks the text type by.
export { GSM7_CHARSET, isGsm7 } from '@otpkit/core/http';
export * from './vonage-delivery-report.js';
export * from './vonage-errors.js';
export * from './vonage-options.js';
export * from './vonage-plugin.js';
export * from './vonage-provider.js';
export * from './vonage-signature.js';
