export { FAILOVER_CODES } from '../errors.js';
export { createDispatcher, Dispatcher, type DispatcherHealth, type SendOptions } from './dispatcher.js';
export type { DispatchResult } from './job.js';
