export { TOKEN_PARAM } from './token.js';
export type { WebhookHandler } from './webhook-handler.js';
export { createWebhookHandler } from './webhook-handler.js';
export type {
  ReceiptTarget,
  ReportTarget,
  WebhookHandlerOptions,
} from './webhook-options.js';
export { WEBHOOK_DEFAULTS } from './webhook-options.js';
export type { WebhookProvider, WebhookRequest } from './webhook-provider.js';
export { withCallbackUrl } from './with-callback-url.js';
