export { parseVonageDeliveryReport, VONAGE_DELIVERY_STATUSES } from './vonage-delivery-report.js';
export { VONAGE_ERROR_CODES } from './vonage-errors.js';
export type { ResolvedVonageOptions, VonageProviderOptions } from './vonage-options.js';
export { resolveVonageOptions, VONAGE_DEFAULT_BASE_URL, VonageOptionsSchema } from './vonage-options.js';
export { vonagePlugin } from './vonage-plugin.js';
export type { VonageProvider, VonageSuccessReply } from './vonage-provider.js';
export { createVonageProvider, VonageSuccessSchema } from './vonage-provider.js';
