import { OtpError } from '@otpkit/core';
import {
  type BeginRequest,
  type BeginResult,
  type CheckRequest,
  type CheckStatus,
  type DeliverRequest,
  type DeliverResult,
  type HitRequest,
  MAX_CODES_PER_VERIFICATION,
  type SettleRequest,
  type StoreCheckResult,
  type TallyRequest,
  type TallyState,
  type VerificationStore,
  type WindowState,
} from '@otpkit/verify';
import {
  codeHash,
  DELIVERIES,
  DELIVERY_STATES,
  finite,
  invalid,
  optionalText,
  redact,
  requiredText,
  toNumber,
  toText,
} from './redis-arguments.js';
import {
  connect,
  type OwnConnection,
  type RedisClient,
  type RedisDriver,
  runnerFor,
  type ScriptRunner,
} from './redis-client.js';
import { checkPrefix, storeKeys } from './redis-keys.js';
import { type RedisScript, SCRIPTS } from './redis-scripts.js';

interface CommonOptions {
  /**
   * Put before every key, so several apps (or tests) share one Redis. At most 128 characters, without
   * `{` or `}`. @default "otpkit:"
   */
  prefix?: string;
  /**
   * How long one store call waits for Redis, in ms, before it rejects with `STORE_UNAVAILABLE`: a
   * person is waiting for the answer. Covers a `NOSCRIPT` reload too. @default 1000
   */
  commandTimeoutMs?: number;
}

/** The app's own connection: the store runs its scripts on it and never closes it. */
export interface RedisStoreClientOptions extends CommonOptions {
  /**
   * An ioredis `Redis` or `Cluster`, or a node-redis client or cluster (`createClient`,
   * `createCluster`, already `connect()`ed), 5.x or 6.x of either. Its reconnect strategy and offline
   * queue stay as the app set them. A node-redis client needs an `error` listener (node-redis's rule).
   */
  client: RedisClient;
  url?: never;
  driver?: never;
}

/** A connection the store opens itself and closes on `close()`. */
export interface RedisStoreUrlOptions extends CommonOptions {
  /** A Redis URL (`redis://[:password@]host:port/db`, `rediss://` for TLS). Never logged. */
  url: string;
  /** Which installed client connects: `ioredis` when installed, else `node-redis` (the `redis` package). */
  driver?: RedisDriver;
  client?: never;
}

export type RedisStoreOptions = RedisStoreClientOptions | RedisStoreUrlOptions;

/** A `VerificationStore` on Redis. */
export interface RedisStore extends VerificationStore {
  /** The client library the store runs on; with `{ url }`, `undefined` until the client is loaded. */
  readonly driver: RedisDriver | undefined;
  /** The key prefix. */
  readonly prefix: string;
  /** Closes the connection the store opened (`{ url }`); does nothing to the app's own `client`. */
  close(): Promise<void>;
}

/** The defaults of `createRedisStore`. */
export const REDIS_STORE_DEFAULTS = Object.freeze({ prefix: 'otpkit:', commandTimeoutMs: 1_000 });

const STATUSES: Record<number, CheckStatus> = {
  1: 'approved',
  2: 'pending',
  3: 'expired',
  4: 'max_attempts_reached',
  5: 'not_found',
};
const REFUSALS = { 1: 'locked', 2: 'cooldown', 3: 'max_sends' } as const;

/**
 * Creates a `VerificationStore` on Redis for `@otpkit/verify`: state shared by every process of the app.
 * Each method is one Lua script (`EVALSHA`; after `NOSCRIPT`, as after a restart, `EVAL`, which loads
 * it again): `check()` is one round trip, `begin()` and `settle()` one each. Every key is hash-tagged by
 * its number (`{+14155550123}`), so it works on Redis Cluster, and every key expires (`PEXPIRE`) once its
 * verification and windows are over. Stored: HMACs, counts, times, the reference and a provider id.
 *
 * When Redis fails, refuses, or does not answer within `commandTimeoutMs`, the call rejects with
 * `OtpError` `STORE_UNAVAILABLE` (retryable): `check()` approves nothing and `start()` sends no SMS.
 * The store never retries or reconnects on its own; the client's own strategy stands.
 *
 * Throws `OtpError` `INVALID_CONFIG` for bad options, naming the field.
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== 'object' || options === null) {
    throw invalid('INVALID_CONFIG', 'options', 'expected { client } or { url }');
  }
  const prefix = checkPrefix(options.prefix);
  const timeoutMs = options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
    throw invalid('INVALID_CONFIG', 'commandTimeoutMs', 'expected an integer of ms >= 1');
  }
  const hasClient = options.client !== undefined;
  const hasUrl = options.url !== undefined;
  if (hasClient && hasUrl) throw invalid('INVALID_CONFIG', 'url', 'expected either client or url, not both');
  if (!hasClient && !hasUrl) {
    throw invalid('INVALID_CONFIG', 'client', 'expected an ioredis or node-redis client (or a url)');
  }
  if (hasUrl && (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url))) {
    throw invalid('INVALID_CONFIG', 'url', 'expected a redis:// or rediss:// URL');
  }
  if (options.driver !== undefined && options.driver !== 'ioredis' && options.driver !== 'node-redis') {
    throw invalid('INVALID_CONFIG', 'driver', "expected 'ioredis' or 'node-redis'");
  }

  let runner: ScriptRunner | undefined;
  let own: Promise<OwnConnection> | undefined;
  if (hasClient) {
    runner = runnerFor(options.client);
  } else {
    own = connect(options.url as string, options.driver);
    own.then(
      (connection) => {
        runner = connection.runner;
      },
      // Reported by every call (INVALID_CONFIG when no client library is installed).
      () => {},
    );
  }
  const keys = storeKeys(prefix);

  const unavailable = (operation: string, reason: string, cause?: unknown) =>
    new OtpError('STORE_UNAVAILABLE', `Redis store: ${operation} failed: ${reason}`, {
      ...(cause === undefined ? {} : { cause }),
    });

  /** The client's error as STORE_UNAVAILABLE, keeping its message only (ioredis's carries the arguments). */
  const failure = (operation: string, error: unknown): OtpError => {
    if (
      error instanceof OtpError &&
      (error.code === 'INVALID_CONFIG' || error.code === 'STORE_UNAVAILABLE')
    ) {
      return error;
    }
    const message = redact(String((error as Error)?.message ?? error));
    const cause = new Error(message);
    cause.name = typeof (error as Error)?.name === 'string' ? (error as Error).name : 'Error';
    return unavailable(operation, message, cause);
  };

  /**
   * Runs one script within the timeout: `EVALSHA`, then `EVAL` after `NOSCRIPT`. Every failure becomes
   * STORE_UNAVAILABLE; a reply that comes after the timeout is dropped, never an unhandled rejection.
   * One promise and one timer per call (no race of promises): this is the hot path of `check()`.
   */
  const run = (script: RedisScript, scriptKeys: string[], args: string[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      let lastError: (() => string | undefined) | undefined;
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        const last = lastError?.();
        const why = last === undefined ? '' : ` (last connection error: ${redact(last)})`;
        reject(unavailable(script.name, `no reply from Redis within ${timeoutMs} ms${why}`));
      }, timeoutMs);
      const done = (value: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(failure(script.name, error));
      };
      const send = (use: ScriptRunner) => {
        try {
          use.evalsha(script.sha, scriptKeys, args).then(done, (error: unknown) => {
            if (settled || !String((error as Error)?.message).startsWith('NOSCRIPT')) return fail(error);
            try {
              use.eval(script.source, scriptKeys, args).then(done, fail);
            } catch (thrown) {
              fail(thrown);
            }
          });
        } catch (thrown) {
          fail(thrown);
        }
      };
      if (own === undefined) {
        send(runner as ScriptRunner);
      } else {
        own.then((connection) => {
          lastError = connection.lastError;
          if (!settled) send(connection.runner);
        }, fail);
      }
    });

  const reply = (value: unknown, operation: string): unknown[] => {
    if (!Array.isArray(value) || value.length < 3) {
      throw unavailable(operation, 'unexpected reply from the script');
    }
    return value;
  };

  return {
    get driver() {
      return runner?.driver;
    },
    prefix,

    async begin(to: string, request: BeginRequest): Promise<BeginResult> {
      const verification = keys.verification(to);
      const window = keys.sendWindow(to);
      const { maxSends, reference } = request;
      const args = [
        finite(request.now, 'now'),
        codeHash(request.codeHash),
        finite(request.ttlMs, 'ttlMs'),
        finite(request.resendAfterMs, 'resendAfterMs'),
        maxSends === undefined ? '-1' : finite(maxSends.count, 'maxSends.count'),
        maxSends === undefined ? '0' : finite(maxSends.windowMs, 'maxSends.windowMs'),
        String(MAX_CODES_PER_VERIFICATION),
        reference === undefined ? '0' : '1',
        reference === undefined ? '' : String(reference),
      ];
      const out = reply(await run(SCRIPTS.begin, [verification, window], args), 'begin');
      if (toNumber(out[0]) === 0) {
        const reason = REFUSALS[toNumber(out[1]) as 1 | 2 | 3];
        if (reason === undefined) throw unavailable('begin', 'unexpected reply from the script');
        return { ok: false, reason, retryAfterMs: toNumber(out[2]) };
      }
      const result: BeginResult = { ok: true, sends: toNumber(out[1]), resend: toNumber(out[2]) === 1 };
      if (toNumber(out[3]) === 1 && out[4] !== undefined) result.provider = toText(out[4]);
      return result;
    },

    async settle(to: string, request: SettleRequest): Promise<void> {
      const key = keys.verification(to);
      const { provider } = request;
      const args = [
        finite(request.now, 'now'),
        codeHash(request.codeHash),
        provider === undefined ? '0' : '1',
        provider === undefined ? '' : String(provider),
        provider === undefined ? '' : optionalText(request.messageId, 'messageId'),
        provider === undefined ? '' : optionalText(request.dispatchId, 'dispatchId'),
        provider === undefined ? '' : optionalText(request.locale, 'locale'),
      ];
      await run(SCRIPTS.settle, [key], args);
    },

    async deliver(to: string, request: DeliverRequest): Promise<DeliverResult> {
      const key = keys.verification(to);
      const status = DELIVERIES[request?.status];
      if (status === undefined)
        throw invalid('INVALID_INPUT', 'status', 'expected delivered, undelivered or overdue');
      const args = [
        finite(request.now, 'now'),
        requiredText(request.provider, 'provider'),
        requiredText(request.messageId, 'messageId'),
        status,
        request.claimResend === true ? '1' : '0',
      ];
      const out = await run(SCRIPTS.deliver, [key], args);
      if (!Array.isArray(out) || out.length < 1)
        throw unavailable('deliver', 'unexpected reply from the script');
      if (toNumber(out[0]) !== 1) return { found: false };
      const result: DeliverResult = {
        found: true,
        delivery: DELIVERY_STATES[toNumber(out[1])] ?? 'unknown',
        resend: toNumber(out[2]) === 1,
      };
      const [dispatchId, reference, locale] = [out[3], out[4], out[5]].map((value) =>
        value === undefined || value === null ? '' : toText(value),
      );
      if (dispatchId) result.dispatchId = dispatchId;
      if (reference) result.reference = reference;
      if (locale) result.locale = locale;
      return result;
    },

    async check(to: string, request: CheckRequest): Promise<StoreCheckResult> {
      const key = keys.verification(to);
      const args = [
        finite(request.now, 'now'),
        codeHash(request.codeHash),
        finite(request.maxAttempts, 'maxAttempts'),
        finite(request.lockMs, 'lockMs'),
      ];
      const out = reply(await run(SCRIPTS.check, [key], args), 'check');
      const status = STATUSES[toNumber(out[0])];
      if (status === undefined) throw unavailable('check', 'unexpected reply from the script');
      const result: StoreCheckResult = { status, attemptsLeft: toNumber(out[1]) };
      if (toNumber(out[3]) === 1) result.locked = true;
      const lockedUntil = toNumber(out[2]);
      if (lockedUntil > 0) result.lockedUntil = lockedUntil;
      if (out[4] !== undefined && out[4] !== null) result.reference = toText(out[4]);
      return result;
    },

    async cancel(to: string, request: { now: number }): Promise<boolean> {
      const key = keys.verification(to);
      const out = await run(SCRIPTS.cancel, [key], [finite(request?.now, 'now')]);
      return toNumber(out) === 1;
    },

    async hit(key: string, request: HitRequest): Promise<WindowState> {
      const counter = keys.counter(key);
      const args = [
        finite(request.now, 'now'),
        finite(request.windowMs, 'windowMs'),
        finite(request.limit, 'limit'),
      ];
      const out = reply(await run(SCRIPTS.hit, [counter], args), 'hit');
      return { allowed: toNumber(out[0]) === 1, count: toNumber(out[1]), resetAt: toNumber(out[2]) };
    },

    async tally(key: string, request: TallyRequest): Promise<TallyState> {
      const counter = keys.counter(key);
      const args = [
        finite(request.now, 'now'),
        finite(request.windowMs, 'windowMs'),
        finite(request.sent ?? 0, 'sent'),
        finite(request.approved ?? 0, 'approved'),
      ];
      const out = reply(await run(SCRIPTS.tally, [counter], args), 'tally');
      return { sent: toNumber(out[0]), approved: toNumber(out[1]), resetAt: toNumber(out[2]) };
    },

    async close() {
      if (own === undefined) return;
      const connection = await own.catch(() => undefined);
      await connection?.close();
    },
  };
}
