export { MSG91_DELIVERY_STATUSES, parseMsg91DeliveryReport } from './msg91-delivery-report.js';
export { MSG91_ERROR_CODES } from './msg91-errors.js';
export type { Msg91ProviderOptions, ResolvedMsg91Options } from './msg91-options.js';
export { MSG91_DEFAULT_BASE_URL, Msg91OptionsSchema, resolveMsg91Options } from './msg91-options.js';
export { msg91Plugin } from './msg91-plugin.js';
export type { Msg91Provider, Msg91SuccessReply } from './msg91-provider.js';
export { createMsg91Provider, Msg91SuccessSchema } from './msg91-provider.js';
