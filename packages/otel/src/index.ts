export { destinationPrefix, MAX_PREFIX_DIGITS } from './destination-prefix.js';
export { instrument } from './instrument.js';
export { ATTRIBUTES, INSTRUMENTATION_NAME, METRICS, SPAN_EVENTS, SPANS } from './names.js';
export type {
  InstrumentableDispatcher,
  InstrumentableVerifier,
  Instrumentation,
  InstrumentOptions,
  ObservedDispatcherEvents,
  ObservedError,
  ObservedProvider,
  ObservedVerifierEvents,
} from './types.js';
