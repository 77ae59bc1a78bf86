export * from './plivo-delivery-report.js';
export * from './plivo-errors.js';
export * from './plivo-options.js';
export { plivoPlugin } from './plivo-plugin.js';
export type { PlivoProvider, PlivoSendReply } from './plivo-provider.js';
export { createPlivoProvider, PlivoSendReplySchema } from './plivo-provider.js';
export * from './plivo-signature.js';
