import { instrumentDispatcher } from './dispatcher-instrumentation.js';
import type {
  InstrumentableDispatcher,
  InstrumentableVerifier,
  Instrumentation,
  InstrumentOptions,
} from './types.js';
import { instrumentVerifier } from './verifier-instrumentation.js';

/**
 * Traces and measures an otpkit dispatcher (`createDispatcher`, `createOtpKit`) or verifier
 * (`createVerifier`): spans per send and per attempt in the caller's context, metrics for sends,
 * durations, attempts, retries, failovers, breakers, queue, verifications and the conversion rate by
 * destination prefix. Nothing is recorded, and nothing costs, until it is called. Attributes never
 * carry a code, a message body or a whole number. Instrument a verifier's dispatcher too for its sends.
 */
export function instrument(
  target: InstrumentableDispatcher | InstrumentableVerifier,
  options: InstrumentOptions = {},
): Instrumentation {
  if (typeof target !== 'object' || target === null) {
    throw new TypeError(
      'instrument: expected a dispatcher (createDispatcher) or a verifier (createVerifier)',
    );
  }
  if (
    options.prefixDigits !== undefined &&
    (!Number.isInteger(options.prefixDigits) || options.prefixDigits < 1 || options.prefixDigits > 6)
  ) {
    throw new RangeError('instrument: prefixDigits: expected an integer from 1 to 6');
  }
  for (const key of ['conversionWindowMs', 'conversionMinStarts'] as const) {
    const value = options[key];
    if (
      value !== undefined &&
      (!Number.isInteger(value) || value < (key === 'conversionWindowMs' ? 1000 : 1))
    ) {
      throw new RangeError(
        `instrument: ${key}: expected an integer of at least ${key === 'conversionWindowMs' ? 1000 : 1}`,
      );
    }
  }
  if (
    typeof (target as InstrumentableDispatcher).getProvider === 'function' &&
    typeof (target as InstrumentableDispatcher).health === 'function'
  ) {
    return instrumentDispatcher(target as InstrumentableDispatcher, options);
  }
  if (
    typeof (target as InstrumentableVerifier).start === 'function' &&
    typeof (target as InstrumentableVerifier).check === 'function'
  ) {
    return instrumentVerifier(target as InstrumentableVerifier, options);
  }
  throw new TypeError('instrument: expected a dispatcher (createDispatcher) or a verifier (createVerifier)');
}
