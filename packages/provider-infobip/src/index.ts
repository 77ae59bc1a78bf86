export type { InfobipDeliveryReport } from './infobip-delivery-report.js';
export {
  INFOBIP_DELIVERY_STATUSES,
  parseInfobipDeliveryReport,
  parseInfobipDeliveryReports,
} from './infobip-delivery-report.js';
export { INFOBIP_ERROR_CODES } from './infobip-errors.js';
export type { InfobipProviderOptions, ResolvedInfobipOptions } from './infobip-options.js';
export { INFOBIP_EXAMPLE_BASE_URL, InfobipOptionsSchema, resolveInfobipOptions } from './infobip-options.js';
export { infobipPlugin } from './infobip-plugin.js';
export type { InfobipProvider, InfobipSendReply } from './infobip-provider.js';
export { createInfobipProvider, InfobipSendReplySchema } from './infobip-provider.js';
