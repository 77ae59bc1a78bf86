export { createDispatcher, Dispatcher, type DispatcherHealth, type SendOptions } from './dispatcher.js';
export type { DispatchResult } from './job.js';
export { backoffDelay, decideRetry, type RetryDecision, retryAfterWait } from './retry-policy.js';
export { FAILOVER_CODES } from './send-loop.js';
