export type { BreakerHealth, BreakerOptions, BreakerState } from './breaker.js';
export { BREAKER_CODES } from './breaker.js';
export { defineDeliveryReportParser } from './delivery-report.js';
export type { DispatcherHealth, DispatchResult, SendOptions } from './dispatcher/index.js';
export { createDispatcher, Dispatcher, FAILOVER_CODES } from './dispatcher/index.js';
export type {
  DispatcherOptions,
  DispatchRoute,
  ResolvedDispatcherOptions,
  RetryOptions,
} from './dispatcher-options.js';
export {
  DISPATCHER_DEFAULTS,
  DispatcherOptionsSchema,
  resolveDispatcherOptions,
} from './dispatcher-options.js';
export type { OtpErrorCode, OtpErrorCodeBehaviour, OtpErrorOptions, OtpIssue } from './errors.js';
export {
  codesWhere,
  isOtpError,
  OTP_ERROR_CODE_BEHAVIOUR,
  OTP_ERROR_CODES,
  OtpError,
  RETRYABLE_BY_DEFAULT,
} from './errors.js';
export type {
  BreakerClosedEvent,
  BreakerOpenEvent,
  DeliveryEvent,
  DispatchEventBase,
  DispatcherEventName,
  DispatcherEvents,
  FailedEvent,
  FailoverEvent,
  QueuedEvent,
  RetryingEvent,
  SentEvent,
} from './events.js';
export type {
  LoadOtpKitOptions,
  OtpKitConfig,
  OtpKitDispatcherSettings,
  OtpKitOptions,
  OtpKitRoute,
  ResolvedOtpKit,
} from './kit/index.js';
export {
  configFromEnv,
  createOtpKit,
  createOtpKitConfigSchema,
  isProviderPlugin,
  loadOtpKit,
  OTPKIT_ENV,
  parseRoutes,
  resolveOtpKit,
  setOptionPath,
} from './kit/index.js';
export type { EnvBinding, ProviderPlugin } from './plugin.js';
export { defineProviderPlugin } from './plugin.js';
export { SafeEmitter } from './safe-emitter.js';
export { OTP_DISPATCHER_OPTIONS, OTP_PROVIDERS } from './tokens.js';
export type {
  DeliveryReport,
  DeliveryStatus,
  OtpMessage,
  OtpProvider,
  SendContext,
  SendReceipt,
} from './types.js';
export {
  describeIssues,
  E164_PATTERN,
  httpBaseUrl,
  httpUrl,
  isMessageId,
  MAX_BODY_LENGTH,
  MAX_MESSAGE_ID_LENGTH,
  MaxResponseBytesSchema,
  MessageIdSchema,
  OtpMessageSchema,
  toOtpIssues,
  validateMessage,
} from './validation.js';
