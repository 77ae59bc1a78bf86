/**
 * The provider kit: the plumbing every vendor package that talks HTTP shares, one job a file in
 * `http/`. Posting a form or JSON with the attempt's signal and reading the reply defensively (`postForm`, `postJson`),
 * the client (`createVendorClient`), the options every provider takes (`resolveProviderOptions`),
 * turning a failed reply into `OtpError` in the error model's order (`createErrorReplyHandler`,
 * `httpError`), `Retry-After`, redaction, option schemas (`credentialOption`, `optionRule`, ...), the fields of a webhook
 * and the report in them (`reportFromFields`), and what signature checks share (`safeEqual`, ...). Import from `@otpkit/core/http`.
 */

export { createCodeFirstErrorReplyHandler } from './http/code-first.js';
export type { ErrorReplyHandler, ErrorReplyHandlerOptions } from './http/error-reply.js';
export { CommonErrorSchema, createErrorReplyHandler, vendorCodeText } from './http/error-reply.js';
export { GSM7_CHARSET, isGsm7 } from './http/gsm7.js';
export type { HttpErrorInput, VendorErrorRule } from './http/http-error.js';
export { httpError } from './http/http-error.js';
export {
  credentialOption,
  integerOption,
  optionRule,
  patternOption,
  prefixedIdOption,
} from './http/option-schemas.js';
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
export { readCapped } from './http/read-capped.js';
export { MAX_VENDOR_CODE_LENGTH, redact, safeVendorCode } from './http/redact.js';
export type { ReportFieldSpec, ReportingProvider } from './http/report-fields.js';
export { deliveryStatusOf, pickField, pickFields, reportFromFields } from './http/report-fields.js';
export type { RequestContext } from './http/request-context.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  requestContext,
} from './http/request-context.js';
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from './http/retry-after.js';
export type { SignedFormFields } from './http/signature.js';
export {
  checkSafely,
  defaultPortVariants,
  isFreshTimestamp,
  requireSigningKey,
  safeEqual,
  sortedFormFields,
} from './http/signature.js';
export { acceptedMessageId, parseSuccessReply, VendorTextSchema } from './http/success-reply.js';
export { transportError } from './http/transport-error.js';
export { valueAt } from './http/value-at.js';
export type { KyLike, VendorClientOptions } from './http/vendor-client.js';
export { createVendorClient, trimBaseUrl } from './http/vendor-client.js';
export type { VendorRequest, VendorSendSpec } from './http/vendor-send.js';
export { createVendorSend } from './http/vendor-send.js';
export { parseVendorTime } from './http/vendor-time.js';
export { webhookFields } from './http/webhook-fields.js';
export type { WebhookHeaders } from './http/webhook-header.js';
export { webhookHeader } from './http/webhook-header.js';
export { webhookJson } from './http/webhook-json.js';
