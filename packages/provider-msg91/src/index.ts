export * from './msg91-delivery-report.js';
export { MSG91_ERROR_CODES, msg91ErrorLabel } from './msg91-errors.js';
export * from './msg91-options.js';
export { msg91Plugin } from './msg91-plugin.js';
export type { Msg91Provider, Msg91SuccessReply } from './msg91-provider.js';
export { createMsg91Provider, MSG91_FLOW_PATH, Msg91SuccessSchema } from './msg91-provider.js';
