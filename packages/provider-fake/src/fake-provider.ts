import {
  type DeliveryReport,
  type DeliveryStatus,
  defineDeliveryReportParser,
  isOtpError,
  OtpError,
  type OtpErrorCode,
  type OtpMessage,
  type OtpProvider,
  type SendContext,
  type SendReceipt,
} from '@otpkit/core';
import * as v from 'valibot';

const LATENCY = 'latencyMs: expected a number from 0 to 2147483647';

/**
 * The fake's `latencyMs`, the one check of it, for `createFakeProvider` and the plugin's options alike:
 * a finite number of ms from 0 to 2^31 - 1 (past that a Node timer fires at once, with a
 * TimeoutOverflowWarning: no latency at all).
 */
export const FakeLatencySchema = v.pipe(
  v.number(LATENCY),
  v.finite(LATENCY),
  v.minValue(0, LATENCY),
  v.maxValue(2_147_483_647, LATENCY),
);

export interface FakeProviderOptions {
  /**
   * Provider id used in receipts and events.
   * @default "fake"
   */
  id?: string;
  /**
   * Time each send takes, in ms (0 to 2147483647); the attempt's signal aborts the wait. `0` answers on
   * the next microtask, without looking at the signal.
   * @default 0
   */
  latencyMs?: number;
  /**
   * Pattern `lastCode` uses to find the code in a body (4 to 8 digits).
   * @default /\b\d{4,8}\b/
   */
  codePattern?: RegExp;
}

/** A message the fake accepted. */
export interface FakeMessage extends OtpMessage {
  /** `fake-1`, `fake-2`, ... in order of acceptance. */
  messageId: string;
  /** The dispatcher's attempt number for this send. */
  attempt: number;
  acceptedAt: Date;
}

/** Which sends a scripted failure applies to. */
export type FakeMatcher = string | RegExp | ((message: OtpMessage) => boolean);

/**
 * Where `deliver()` hands its reports: a `Dispatcher` (`dispatcher.report`, events `delivered` /
 * `undelivered`) or a `Verifier` of `@otpkit/verify` (`verifier.report`, which also resends on
 * `undelivered`).
 */
export interface FakeReportTarget {
  report(report: DeliveryReport): unknown;
}

/** The fake provider: an `OtpProvider` that records instead of sending, and fails on request. */
export interface FakeProvider extends OtpProvider {
  /** Every accepted message, oldest first. */
  readonly messages: readonly FakeMessage[];
  /** Reads the payload built by `deliveryReport` (or `{ messageId, status, errorCode? }`). */
  parseDeliveryReport(payload: unknown): DeliveryReport;
  /** Every call to `send`, failed ones included. */
  readonly calls: number;
  /** The last accepted message, to `to` when given. */
  lastMessage(to?: string): FakeMessage | undefined;
  /** The code in the last message to `to` (first match of `pattern`, default 4 to 8 digits). */
  lastCode(to: string, pattern?: RegExp): string | undefined;
  /** The next `times` sends fail with this error (a code gets the code's default `retryable` flag). */
  failNext(codeOrError: OtpErrorCode | OtpError, times?: number): this;
  /**
   * The next `times` sends never answer: they stay pending until their signal aborts (the dispatcher's
   * per-attempt timeout, or the caller), like a vendor that accepts the connection and goes silent.
   */
  hangNext(times?: number): this;
  /**
   * Every send matching `match` (a recipient, a pattern over the recipient, or a predicate) fails with
   * this error until `reset()`. Returns a function that removes the rule.
   */
  failWhen(match: FakeMatcher, codeOrError: OtpErrorCode | OtpError): () => void;
  /** Builds the delivery-report payload `parseDeliveryReport` understands, for tests of report handling. */
  deliveryReport(messageId: string, status: DeliveryStatus, errorCode?: string): Record<string, string>;
  /**
   * Where `deliver()` reports from now on (a dispatcher or a verifier; set after creating the
   * dispatcher, which takes the fake). Kept by `reset()`. Returns the provider.
   */
  reportTo(target: FakeReportTarget): this;
  /**
   * Plays the vendor's delivery receipt for an accepted message, as a webhook would: builds the report
   * (`deliveryReport` then `parseDeliveryReport`, recipient filled in), hands it to the `reportTo`
   * target's `report()`, waits for it (a verifier's store) and resolves with the report. `INVALID_INPUT`
   * for a message id the fake did not accept; `INVALID_CONFIG` before `reportTo`.
   */
  deliver(messageId: string, status: DeliveryStatus, errorCode?: string): Promise<DeliveryReport>;
  /** Forgets messages, calls, scripted failures and the id counter. */
  reset(): void;
}

const DEFAULT_CODE_PATTERN = /\b\d{4,8}\b/;
const STATUSES: readonly DeliveryStatus[] = ['delivered', 'undelivered', 'pending', 'unknown'];

/** Creates an in-memory provider for tests and demos. Nothing leaves the process. */
export function createFakeProvider(options: FakeProviderOptions = {}): FakeProvider {
  if (typeof options !== 'object' || options === null) {
    throw new OtpError('INVALID_CONFIG', 'options: expected an object');
  }
  const id = options.id ?? 'fake';
  if (typeof id !== 'string' || id.length === 0) {
    throw new OtpError('INVALID_CONFIG', 'id: expected a non-empty string');
  }
  const latencyMs = options.latencyMs ?? 0;
  if (!v.is(FakeLatencySchema, latencyMs)) throw new OtpError('INVALID_CONFIG', LATENCY);
  const codePattern = options.codePattern ?? DEFAULT_CODE_PATTERN;
  // Checked now: a wrong pattern would otherwise throw a TypeError from lastCode() much later.
  if (!(codePattern instanceof RegExp)) {
    throw new OtpError('INVALID_CONFIG', 'codePattern: expected a RegExp');
  }

  const messages: FakeMessage[] = [];
  let calls = 0;
  let counter = 0;
  const queue: OtpError[] = [];
  let hangs = 0;
  let rules: { test: (message: OtpMessage) => boolean; error: OtpError }[] = [];
  let target: FakeReportTarget | undefined;

  const toError = (codeOrError: OtpErrorCode | OtpError): OtpError => {
    if (isOtpError(codeOrError)) return codeOrError;
    return new OtpError(codeOrError, `${id}: scripted ${codeOrError} failure`, { provider: id });
  };

  const abortReason = (signal: AbortSignal): OtpError =>
    isOtpError(signal.reason)
      ? signal.reason
      : new OtpError('ABORTED', `${id}: the send was aborted`, { provider: id, cause: signal.reason });

  // The signal matters only while the fake waits (latency, hangNext): with no latency it answers at
  // once, like a vendor that already replied, and never makes the dispatcher build the signal.
  const wait = (signal: AbortSignal, ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal));
      };
      const timer = Number.isFinite(ms)
        ? setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, ms)
        : undefined;
      signal.addEventListener('abort', onAbort, { once: true });
    });

  const provider: FakeProvider = {
    id,
    get messages() {
      return messages;
    },
    get calls() {
      return calls;
    },

    async send(message: OtpMessage, context: SendContext): Promise<SendReceipt> {
      calls++;
      if (hangs > 0) {
        hangs--;
        await wait(context.signal, Number.POSITIVE_INFINITY);
      }
      if (latencyMs > 0) await wait(context.signal, latencyMs);
      const scripted = queue.shift() ?? rules.find((rule) => rule.test(message))?.error;
      if (scripted) throw scripted;
      const acceptedAt = new Date();
      const messageId = `${id}-${++counter}`;
      messages.push({ ...message, messageId, attempt: context.attempt, acceptedAt });
      return { provider: id, messageId, to: message.to, acceptedAt };
    },

    parseDeliveryReport: defineDeliveryReportParser(id, (payload: unknown): DeliveryReport => {
      const record = (payload ?? {}) as Record<string, unknown>;
      const messageId = record.messageId;
      const status = record.status;
      if (typeof messageId !== 'string' || messageId === '' || typeof status !== 'string') {
        throw new OtpError('INVALID_INPUT', `${id}: expected a delivery report with messageId and status`, {
          provider: id,
        });
      }
      const known = messages.find((message) => message.messageId === messageId);
      const report: DeliveryReport = {
        provider: id,
        messageId,
        status: (STATUSES as readonly string[]).includes(status) ? (status as DeliveryStatus) : 'unknown',
        providerStatus: status,
        at: new Date(),
      };
      if (known) report.to = known.to;
      if (typeof record.errorCode === 'string') report.errorCode = record.errorCode;
      return report;
    }),

    lastMessage(to?: string) {
      for (let index = messages.length - 1; index >= 0; index--) {
        const message = messages[index]!;
        if (to === undefined || message.to === to) return message;
      }
      return undefined;
    },

    lastCode(to: string, pattern: RegExp = codePattern) {
      const body = provider.lastMessage(to)?.body;
      if (body === undefined) return undefined;
      // A global or sticky pattern keeps state in lastIndex between calls (as in failWhen).
      pattern.lastIndex = 0;
      return pattern.exec(body)?.[0] ?? undefined;
    },

    failNext(codeOrError, times = 1) {
      const error = toError(codeOrError);
      for (let index = 0; index < times; index++) queue.push(error);
      return provider;
    },

    hangNext(times = 1) {
      hangs += times;
      return provider;
    },

    failWhen(match, codeOrError) {
      const error = toError(codeOrError);
      const test =
        typeof match === 'function'
          ? match
          : typeof match === 'string'
            ? (message: OtpMessage) => message.to === match
            : (message: OtpMessage) => {
                match.lastIndex = 0;
                return match.test(message.to);
              };
      const rule = { test, error };
      rules.push(rule);
      return () => {
        rules = rules.filter((item) => item !== rule);
      };
    },

    deliveryReport(messageId, status, errorCode) {
      const payload: Record<string, string> = { messageId, status };
      if (errorCode !== undefined) payload.errorCode = errorCode;
      return payload;
    },

    reportTo(next) {
      if (typeof next?.report !== 'function') {
        throw new OtpError('INVALID_CONFIG', 'reportTo: expected a dispatcher or a verifier', {
          provider: id,
        });
      }
      target = next;
      return provider;
    },

    async deliver(messageId, status, errorCode) {
      if (target === undefined) {
        throw new OtpError('INVALID_CONFIG', `${id}: deliver() needs reportTo(dispatcher) first`, {
          provider: id,
        });
      }
      if (!messages.some((message) => message.messageId === messageId)) {
        throw new OtpError('INVALID_INPUT', `messageId: expected the id of a message ${id} accepted`, {
          provider: id,
        });
      }
      const report = provider.parseDeliveryReport(provider.deliveryReport(messageId, status, errorCode));
      await target.report(report);
      return report;
    },

    reset() {
      messages.length = 0;
      calls = 0;
      counter = 0;
      queue.length = 0;
      hangs = 0;
      rules = [];
    },
  };
  return provider;
}
