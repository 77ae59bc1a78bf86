import * as v from 'valibot';
import { OtpError } from './errors.js';
import type { DispatcherEventName } from './events.js';
import type { OtpProvider } from './types.js';
import { describeIssues, toOtpIssues } from './validation.js';

/** Backoff between attempts on the same provider. */
export interface RetryOptions {
  /** Retries after the first attempt, per provider. Default `3`. */
  retries?: number;
  /** Base of the exponential backoff, in ms. Default `250`. */
  minDelayMs?: number;
  /** Longest backoff, in ms. Default `8000`. */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the dispatcher waits, in ms. A vendor asking for longer is not retried:
   * the send moves to the next provider or fails with `RATE_LIMITED` and its `retryAfterMs`.
   * Default `30000`.
   */
  maxRetryAfterMs?: number;
}

export interface DispatcherOptions {
  /** Providers in failover order: the first is tried first. At least one; ids must be unique. */
  providers: readonly OtpProvider[];
  /** Retry policy per provider. Defaults: 3 retries, 250 ms to 8 s backoff, `Retry-After` up to 30 s. */
  retry?: RetryOptions;
  /** Time limit of each attempt, in ms, enforced through the signal given to the provider. Default `10000`. */
  timeoutMs?: number;
  /** Sends in flight at once. Default `16`. */
  concurrency?: number;
  /** Sends waiting for a free slot; past it `send` rejects with `QUEUE_FULL`. Default `10000`. */
  maxQueue?: number;
  /**
   * Called when an event listener throws. The send and the other listeners go on regardless.
   * Default: a process warning (`process.emitWarning`) naming the event.
   */
  onListenerError?: (error: unknown, event: DispatcherEventName) => void;
}

/** Options with every default filled in. */
export interface ResolvedDispatcherOptions {
  providers: readonly OtpProvider[];
  retry: Required<RetryOptions>;
  timeoutMs: number;
  concurrency: number;
  maxQueue: number;
  onListenerError: (error: unknown, event: DispatcherEventName) => void;
}

export const DISPATCHER_DEFAULTS = Object.freeze({
  retry: Object.freeze({ retries: 3, minDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30_000 }),
  timeoutMs: 10_000,
  concurrency: 16,
  maxQueue: 10_000,
});

/** Longest delay a Node timer takes; beyond it `setTimeout` fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

const int = (path: string, min: number, max = MAX_TIMER_MS) => {
  const what = `${path}: expected an integer from ${min} to ${max}`;
  return v.optional(v.pipe(v.number(what), v.integer(what), v.minValue(min, what), v.maxValue(max, what)));
};

const ProviderSchema = v.custom<OtpProvider>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as OtpProvider).id === 'string' &&
    (value as OtpProvider).id.length > 0 &&
    typeof (value as OtpProvider).send === 'function',
  'expected an OtpProvider (an object with a non-empty string id and a send function)',
);

/** The valibot schema of the dispatcher options (numbers and structure; providers are checked by shape). */
export const DispatcherOptionsSchema = v.object(
  {
    providers: v.pipe(
      v.array(ProviderSchema, 'providers: expected an array of providers'),
      v.minLength(1, 'providers: expected at least one provider'),
      v.check(
        (list) => new Set(list.map((provider) => provider.id)).size === list.length,
        'providers: expected each provider id once',
      ),
    ),
    retry: v.optional(
      v.pipe(
        v.object(
          {
            retries: int('retry.retries', 0, 100),
            minDelayMs: int('retry.minDelayMs', 0),
            maxDelayMs: int('retry.maxDelayMs', 0),
            maxRetryAfterMs: int('retry.maxRetryAfterMs', 0),
          },
          'retry: expected an object',
        ),
      ),
    ),
    timeoutMs: int('timeoutMs', 1),
    concurrency: int('concurrency', 1, 100_000),
    maxQueue: int('maxQueue', 0, Number.MAX_SAFE_INTEGER),
    onListenerError: v.optional(v.function('onListenerError: expected a function')),
  },
  'options: expected an object',
);

const warnListenerError = (error: unknown, event: DispatcherEventName) => {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.emitWarning(
    `otpkit: a "${event}" listener threw (${detail}); the send went on`,
    'OtpkitListenerWarning',
  );
};

/** Validates dispatcher options and fills in defaults. Throws `OtpError` `INVALID_CONFIG` listing every problem. */
export function resolveDispatcherOptions(input: DispatcherOptions): ResolvedDispatcherOptions {
  const result = v.safeParse(DispatcherOptionsSchema, input);
  if (!result.success) {
    const issues = toOtpIssues(result.issues);
    throw new OtpError('INVALID_CONFIG', `Invalid dispatcher options: ${describeIssues(issues)}`, { issues });
  }
  const options = result.output;
  const retry = { ...DISPATCHER_DEFAULTS.retry, ...stripUndefined(options.retry ?? {}) };
  if (retry.maxDelayMs < retry.minDelayMs) {
    const issues = [
      {
        path: 'retry.maxDelayMs',
        message: `expected a value >= retry.minDelayMs (${retry.minDelayMs}${options.retry?.minDelayMs === undefined ? ', the default' : ''})`,
      },
    ];
    throw new OtpError('INVALID_CONFIG', `Invalid dispatcher options: ${describeIssues(issues)}`, { issues });
  }
  return {
    providers: [...input.providers],
    retry,
    timeoutMs: options.timeoutMs ?? DISPATCHER_DEFAULTS.timeoutMs,
    concurrency: options.concurrency ?? DISPATCHER_DEFAULTS.concurrency,
    maxQueue: options.maxQueue ?? DISPATCHER_DEFAULTS.maxQueue,
    onListenerError:
      (options.onListenerError as ResolvedDispatcherOptions['onListenerError']) ?? warnListenerError,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
