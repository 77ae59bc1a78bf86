export { __ID___DELIVERY_STATUSES, parse__Name__DeliveryReport } from './__id__-delivery-report.js';
export { __ID___ERROR_CODES } from './__id__-errors.js';
export type { __Name__ProviderOptions, Resolved__Name__Options } from './__id__-options.js';
export { __ID___DEFAULT_BASE_URL, __Name__OptionsSchema, resolve__Name__Options } from './__id__-options.js';
export { __name__Plugin } from './__id__-plugin.js';
export type { __Name__Provider, __Name__SuccessReply } from './__id__-provider.js';
export { __Name__SuccessSchema, create__Name__Provider } from './__id__-provider.js';
