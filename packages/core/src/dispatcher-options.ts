import * as v from 'valibot';
import { BREAKER_CODES, type BreakerOptions } from './breaker.js';
import { codesWhere, OTP_ERROR_CODES, type OtpErrorCode, type OtpIssue } from './errors.js';
import type { DispatcherEventName } from './events.js';
import { ROUTE_PREFIX, ROUTE_PREFIX_MESSAGE, routedTwice } from './route-rules.js';
import type { OtpProvider } from './types.js';
import { invalidConfig, toOtpIssues } from './validation.js';

/** Backoff between attempts on the same provider. */
export interface RetryOptions {
  /**
   * Retries after the first attempt, per provider.
   * @default 3
   */
  retries?: number;
  /**
   * Base of the exponential backoff, in ms.
   * @default 250
   */
  minDelayMs?: number;
  /**
   * Longest backoff, in ms.
   * @default 8000
   */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the dispatcher waits, in ms. A vendor asking for longer is not retried:
   * the send moves to the next provider or fails with `RATE_LIMITED` and its `retryAfterMs`.
   * @default 30000
   */
  maxRetryAfterMs?: number;
}

/** Providers for the numbers that start with `prefix`, in failover order. */
export interface DispatchRoute {
  /** A number prefix: `"+91"`, `"+1"`, `"+4420"`. The longest matching prefix wins. */
  prefix: string;
  /** Ids of providers from `providers`, tried in this order. */
  providers: readonly string[];
}

export interface DispatcherOptions {
  /**
   * Providers in failover order: the first is tried first. At least one; ids must be unique. With
   * `routes`, the order for numbers no route matches.
   */
  providers: readonly OtpProvider[];
  /**
   * Routing by destination: each route gives the provider order for numbers starting with its prefix;
   * the longest matching prefix wins, and numbers no route matches use `providers` in order.
   * Default: none.
   */
  routes?: readonly DispatchRoute[];
  /** Retry policy per provider: 3 retries, 250 ms to 8 s backoff, `Retry-After` up to 30 s unless set (see `RetryOptions`). */
  retry?: RetryOptions;
  /**
   * Time limit of each attempt, in ms, enforced through the signal given to the provider.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Time limit of a whole send, in ms, from acceptance: queueing, every attempt, backoff and failover.
   * A backoff that would cross it is not waited (the next provider is tried, or the send fails with
   * `TIMEOUT`); when it runs out, the attempt in flight is cancelled and the send fails with `TIMEOUT`.
   * About how long a person waits for a code.
   * @default 30000
   */
  deadlineMs?: number;
  /**
   * Circuit breaker per provider: after `failureThreshold` consecutive `NETWORK`, `TIMEOUT` or
   * `PROVIDER_UNAVAILABLE` failures the provider is skipped for `cooldownMs`, then one probe send
   * decides whether it is back. `false` turns it off.
   * @default { failureThreshold: 5, cooldownMs: 30000 }
   */
  breaker?: BreakerOptions | false;
  /**
   * Error codes after which a provider is not retried when another provider can still take the send:
   * a vendor that timed out or could not be reached is likely down, and retrying it doubles the wait.
   * A timed-out request may still have been accepted, so failing over can deliver the code twice
   * (counted in `unconfirmedAttempts`). `[]` retries every retryable error before failing over.
   * @default ["TIMEOUT", "NETWORK"]
   */
  failFastOn?: readonly OtpErrorCode[];
  /**
   * Sends in flight at once.
   * @default 16
   */
  concurrency?: number;
  /**
   * Sends waiting for a free slot; past it `send` rejects with `QUEUE_FULL`.
   * @default 10000
   */
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
  /** Routes with their providers resolved, longest prefix first. */
  routes: readonly { prefix: string; providers: readonly OtpProvider[] }[];
  retry: Required<RetryOptions>;
  timeoutMs: number;
  deadlineMs: number;
  breaker: Required<BreakerOptions> | false;
  failFastOn: ReadonlySet<OtpErrorCode>;
  concurrency: number;
  maxQueue: number;
  onListenerError: (error: unknown, event: DispatcherEventName) => void;
}

export const DISPATCHER_DEFAULTS = Object.freeze({
  retry: Object.freeze({ retries: 3, minDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30_000 }),
  timeoutMs: 10_000,
  deadlineMs: 30_000,
  breaker: Object.freeze({ failureThreshold: 5, cooldownMs: 30_000 }),
  failFastOn: Object.freeze(codesWhere('failFast')),
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

const OptionsSchema = v.object(
  {
    providers: v.pipe(
      v.array(ProviderSchema, 'providers: expected an array of providers'),
      v.minLength(1, 'providers: expected at least one provider'),
      v.check(
        (list) => new Set(list.map((provider) => provider.id)).size === list.length,
        'providers: expected each provider id once',
      ),
    ),
    routes: v.optional(
      v.array(
        v.object(
          {
            prefix: v.pipe(v.string(ROUTE_PREFIX_MESSAGE), v.regex(ROUTE_PREFIX, ROUTE_PREFIX_MESSAGE)),
            providers: v.pipe(
              v.array(
                v.string('providers: expected provider ids'),
                'providers: expected a list of provider ids',
              ),
              v.minLength(1, 'providers: expected at least one provider id'),
            ),
          },
          'expected a route: { prefix, providers }',
        ),
        'routes: expected a list of routes',
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
    deadlineMs: int('deadlineMs', 1),
    breaker: v.optional(
      v.union(
        [
          v.literal(false),
          v.object({
            failureThreshold: int('breaker.failureThreshold', 1, 1_000_000),
            cooldownMs: int('breaker.cooldownMs', 0),
          }),
        ],
        'breaker: expected false or an object with failureThreshold and cooldownMs',
      ),
    ),
    failFastOn: v.optional(
      v.array(
        v.picklist(
          OTP_ERROR_CODES as OtpErrorCode[],
          `failFastOn: expected error codes (${[...BREAKER_CODES, 'RATE_LIMITED'].join(', ')}, ...)`,
        ),
        'failFastOn: expected a list of error codes',
      ),
    ),
    concurrency: int('concurrency', 1, 100_000),
    maxQueue: int('maxQueue', 0, Number.MAX_SAFE_INTEGER),
    onListenerError: v.optional(v.function('onListenerError: expected a function')),
  },
  'options: expected an object',
);

/** The valibot schema of the dispatcher options (numbers and structure; providers are checked by shape). */
export const DispatcherOptionsSchema: v.GenericSchema<unknown, DispatcherOptions> = OptionsSchema;

/** Names of the dispatcher settings configuration can set: every option but providers, callbacks and routes. */
export const DISPATCHER_SETTING_KEYS: readonly string[] = Object.keys(OptionsSchema.entries).filter(
  (key) => key !== 'providers' && key !== 'onListenerError' && key !== 'routes',
);

/** The valibot entries of those settings, for the config kit's schema. */
export const DispatcherSettingEntries = v.omit(OptionsSchema, [
  'providers',
  'onListenerError',
  'routes',
]).entries;

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
    throw invalidConfig('Invalid dispatcher options', toOtpIssues(result.issues));
  }
  const options = result.output;
  const retry = { ...DISPATCHER_DEFAULTS.retry, ...stripUndefined(options.retry ?? {}) };
  const bounds = retryBoundsIssue(options.retry);
  if (bounds) throw invalidConfig('Invalid dispatcher options', [bounds]);
  const byId = new Map(input.providers.map((provider) => [provider.id, provider]));
  const routeIssues: { path: string; message: string }[] = [];
  const prefixes = new Set<string>();
  const routes = (options.routes ?? []).map((route, index) => {
    const twice = routedTwice(route.prefix, prefixes, `routes.${index}.prefix`);
    if (twice) routeIssues.push(twice);
    if (new Set(route.providers).size !== route.providers.length) {
      routeIssues.push({ path: `routes.${index}.providers`, message: 'expected each provider id once' });
    }
    const providers = route.providers.map((id, position) => {
      const provider = byId.get(id);
      if (!provider) {
        routeIssues.push({
          path: `routes.${index}.providers.${position}`,
          message: `unknown provider "${id}" (given: ${[...byId.keys()].join(', ')})`,
        });
      }
      return provider!;
    });
    return { prefix: route.prefix, providers };
  });
  if (routeIssues.length > 0) throw invalidConfig('Invalid dispatcher options', routeIssues);
  routes.sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    providers: [...input.providers],
    routes,
    retry,
    timeoutMs: options.timeoutMs ?? DISPATCHER_DEFAULTS.timeoutMs,
    deadlineMs: options.deadlineMs ?? DISPATCHER_DEFAULTS.deadlineMs,
    breaker:
      options.breaker === false
        ? false
        : { ...DISPATCHER_DEFAULTS.breaker, ...stripUndefined(options.breaker ?? {}) },
    failFastOn: new Set(options.failFastOn ?? DISPATCHER_DEFAULTS.failFastOn),
    concurrency: options.concurrency ?? DISPATCHER_DEFAULTS.concurrency,
    maxQueue: options.maxQueue ?? DISPATCHER_DEFAULTS.maxQueue,
    onListenerError:
      (options.onListenerError as ResolvedDispatcherOptions['onListenerError']) ?? warnListenerError,
  };
}

/** The one check the schema cannot make alone: `retry.maxDelayMs` (given or default) >= `retry.minDelayMs`. */
export function retryBoundsIssue(given: RetryOptions | undefined): OtpIssue | undefined {
  const retry = { ...DISPATCHER_DEFAULTS.retry, ...stripUndefined(given ?? {}) };
  if (retry.maxDelayMs >= retry.minDelayMs) return undefined;
  const note = given?.minDelayMs === undefined ? ', the default' : '';
  return {
    path: 'retry.maxDelayMs',
    message: `expected a value >= retry.minDelayMs (${retry.minDelayMs}${note})`,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
