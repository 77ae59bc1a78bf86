/**
 * The provider kit: the plumbing every vendor package that talks HTTP shares, one job a file in
 * `http/`. Posting a form or JSON with the attempt's signal and reading the reply defensively (`postForm`, `postJson`),
 * the client (`createVendorClient`), the options every provider takes (`resolveProviderOptions`),
 * turning a failed reply into `OtpError` in the error model's order (`createErrorReplyHandler`,
 * `httpError`), `Retry-After`, redaction, and the fields of a webhook. Import from `@otpkit/core/http`.
 */
export type { ErrorReplyHandler, ErrorReplyHandlerOptions } from './http/error-reply.js';
export { CommonErrorSchema, createErrorReplyHandler, vendorCodeText } from './http/error-reply.js';
export type { HttpErrorInput, VendorErrorRule } from './http/http-error.js';
export { httpError } from './http/http-error.js';
export type { FetchFunction, HttpClient, HttpReply } from './http/post-form.js';
export { formOf, isSuccess, postForm, postJson } from './http/post-form.js';
export type {
  ProviderHttpOptions,
  ProviderName,
  ResolvedProviderHttpOptions,
} from './http/provider-options.js';
export {
  ProviderHttpOptionEntries,
  resolveHttpOptions,
  resolveProviderOptions,
} from './http/provider-options.js';
export { MAX_VENDOR_CODE_LENGTH, redact, safeVendorCode } from './http/redact.js';
export type { RequestContext } from './http/request-context.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  requestContext,
} from './http/request-context.js';
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from './http/retry-after.js';
export { parseSuccessReply } from './http/success-reply.js';
export { transportError } from './http/transport-error.js';
export type { KyLike, VendorClientOptions } from './http/vendor-client.js';
export { createVendorClient, trimBaseUrl } from './http/vendor-client.js';
export { webhookFields } from './http/webhook-fields.js';
