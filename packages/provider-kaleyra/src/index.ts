export { KALEYRA_DELIVERY_STATUSES, parseKaleyraDeliveryReport } from './kaleyra-delivery-report.js';
export { KALEYRA_ERROR_CODES } from './kaleyra-errors.js';
export type { KaleyraProviderOptions, KaleyraRegion, ResolvedKaleyraOptions } from './kaleyra-options.js';
export {
  KALEYRA_DEFAULT_BASE_URL,
  KALEYRA_REGIONS,
  KaleyraOptionsSchema,
  resolveKaleyraOptions,
} from './kaleyra-options.js';
export { kaleyraPlugin } from './kaleyra-plugin.js';
export type { KaleyraProvider, KaleyraSuccessReply } from './kaleyra-provider.js';
export { createKaleyraProvider, KaleyraSuccessSchema, parseKaleyraTime } from './kaleyra-provider.js';
