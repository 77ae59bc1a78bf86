import type { KeyObject } from 'node:crypto';
import {
  type DeliveryReport,
  type DispatchResult,
  OtpError,
  type OtpMessage,
  SafeEmitter,
  validateMessage,
} from '@otpkit/core';
import { generateCode } from './code.js';
import type { VerifierEventName, VerifierEvents } from './events.js';
import { createCodeKey, hashCode } from './hmac.js';
import { type CheckInput, type StartInput, validateCheck, validateNumber, validateStart } from './inputs.js';

export type { CheckResult, StartResult } from './results.js';

/** Why a verification is sent again by the verifier itself, and through which provider the failed send went. */
interface FailedDelivery {
  previous: string;
  reason: 'undelivered' | 'not_delivered_in_time';
}

import { consumeWindows, destinationRefusal, type Refusal } from './limits.js';
import { createMemoryStore } from './memory-store.js';
import { createMessageComposer, type MessageComposer } from './messages.js';
import { createPumpingGuard, type PumpingGuard } from './pumping-guard.js';
import { checkReport, nextProvider, type ReportResult, recipientOf } from './receipts.js';
import { refusalError } from './refusal.js';
import type { CheckResult, StartResult } from './results.js';
import type { DeliverRequest, DeliverResult, VerificationStore } from './store.js';
import {
  type ResolvedVerifierOptions,
  resolveVerifierOptions,
  type VerifierOptions,
} from './verifier-options.js';

/**
 * The OTP lifecycle on top of a dispatcher: `start()` makes a code and sends it, `check()` checks one,
 * `cancel()` ends a verification; typed events tell the app what happened. Build it with
 * `createVerifier(options)`.
 */
export class Verifier {
  readonly #options: ResolvedVerifierOptions;
  readonly #store: VerificationStore;
  readonly #key: KeyObject;
  readonly #compose: MessageComposer;
  readonly #guard: PumpingGuard | undefined;
  readonly #events = new SafeEmitter<VerifierEvents>((error, event) =>
    this.#options.onListenerError(error, event),
  );

  constructor(options: VerifierOptions) {
    this.#options = resolveVerifierOptions(options);
    const { store, secret, pumpingGuard } = this.#options;
    this.#store = store ?? createMemoryStore();
    this.#key = createCodeKey(secret);
    this.#compose = createMessageComposer(this.#options);
    this.#guard = pumpingGuard === undefined ? undefined : createPumpingGuard(this.#store, pumpingGuard);
  }

  /**
   * Makes a code, stores its HMAC and sends it; resolves once a vendor accepted the SMS. Refuses before
   * any SMS with `INVALID_INPUT` (bad fields), `RATE_LIMITED` with `retryAfterMs` (cool-down, a window,
   * a lock) or `REJECTED` (a destination not allowed, the pumping guard). A failed send rejects with the
   * dispatcher's `OtpError`; its code is unusable, and it still counts toward the limits.
   */
  async start(input: StartInput): Promise<StartResult> {
    const validated = validateStart(input);
    if (validated.signal?.aborted) {
      throw new OtpError('ABORTED', 'The verification start was aborted by the caller', {
        cause: validated.signal.reason,
      });
    }
    return this.#issue(validated, undefined);
  }

  /**
   * Takes a delivery report (what the webhook handler of `@otpkit/webhooks` parsed, or a provider's
   * `parseDeliveryReport`): records it on the verification whose latest send it is (found in the store
   * by the report's recipient and message id, so the send may have left from another process), reports
   * it to the dispatcher with that send's dispatch id and reference, and on `undelivered` (with
   * `resendOnUndelivered`) sends a new code once through the next provider, in the background (event
   * `resent`). Rejects with `INVALID_INPUT` for a report that is not one, or the store's
   * `STORE_UNAVAILABLE` (nothing is reported then: the vendor should be asked to call again).
   */
  async report(input: DeliveryReport): Promise<ReportResult> {
    const report = checkReport(input);
    const to = recipientOf(report);
    let found: DeliverResult = { found: false };
    if (to !== undefined && (report.status === 'delivered' || report.status === 'undelivered')) {
      found = await this.#store.deliver(to, {
        now: this.#options.now(),
        provider: report.provider,
        messageId: report.messageId,
        status: report.status,
        claimResend: this.#options.resendOnUndelivered,
      });
    }
    const correlation = found.found ? { id: found.dispatchId, reference: found.reference } : undefined;
    this.#options.dispatcher.report(report, correlation);
    if (!found.found) return { matched: false, resending: false };
    if (found.resend && to !== undefined) {
      this.#resend(to, found, { previous: report.provider, reason: 'undelivered' });
    }
    return { matched: true, resending: found.resend };
  }

  async #issue(
    { to, locale, reference, key, signal }: ReturnType<typeof validateStart>,
    failed: FailedDelivery | undefined,
  ): Promise<StartResult> {
    const options = this.#options;
    const store = this.#store;
    const now = options.now();
    const testCode = this.#testCode(to, now);
    const refuse = (refusal: Refusal): never => {
      this.#emitRefused(to, reference, key, refusal, now);
      throw refusalError(refusal);
    };

    let message: OtpMessage | undefined;
    const code = testCode ?? generateCode(options.codeLength);
    if (testCode === undefined) {
      const destination = destinationRefusal(to, options.allowedPrefixes, options.blockedPrefixes);
      if (destination) refuse(destination);
      const { body, templateId } = this.#compose(code, locale);
      message = validateMessage({
        to,
        body,
        ...(templateId === undefined ? {} : { templateId }),
        ...(options.sender === undefined ? {} : { sender: options.sender }),
        ...(reference === undefined ? {} : { reference }),
      });
      const held = await this.#guard?.check(to, now);
      if (held) refuse(held);
      const full = await consumeWindows(store, to, key, options.maxSendsPerKey, options.prefixLimits, now);
      if (full) refuse(full);
    }

    const codeHash = hashCode(this.#key, to, code);
    const begun = await store.begin(to, {
      now,
      codeHash,
      ttlMs: options.ttlMs,
      // The vendor said the last SMS did not arrive: no cool-down for the resend it calls for.
      resendAfterMs: failed === undefined ? options.resendAfterMs : 0,
      ...(testCode === undefined ? { maxSends: options.maxSends } : {}),
      ...(reference === undefined ? {} : { reference }),
    });
    if (!begun.ok) refuse({ reason: begun.reason, retryAfterMs: begun.retryAfterMs });
    const { sends, resend, provider: previous } = begun as Extract<typeof begun, { ok: true }>;
    const result: StartResult = {
      to,
      status: 'pending',
      expiresAt: new Date(now + options.ttlMs),
      sends,
      resendAt: new Date(now + options.resendAfterMs),
    };

    if (message !== undefined) {
      await this.#guard?.sent(to, now);
      const dispatcher = options.dispatcher;
      const startWith = nextProvider(dispatcher, to, failed?.previous ?? (resend ? previous : undefined));
      let dispatch: DispatchResult;
      try {
        dispatch = await dispatcher.send(message, {
          ...(signal === undefined ? {} : { signal }),
          ...(startWith === undefined ? {} : { startWith }),
        });
      } catch (error) {
        // Never delivered: the code must not work. The send still counted toward every limit. Should
        // the store fail here, the code stays stored, but nobody knows it: the send's error is what counts.
        try {
          await store.settle(to, { now: options.now(), codeHash });
        } catch {}
        throw error;
      }
      // The SMS is out and its code works: a store that fails to note the provider only costs the
      // next resend its rotation, so it does not turn a delivered code into a failed start.
      try {
        await store.settle(to, {
          now: options.now(),
          codeHash,
          provider: dispatch.provider,
          messageId: dispatch.messageId,
          dispatchId: dispatch.id,
          ...(locale === undefined ? {} : { locale }),
        });
      } catch {}
      result.dispatch = dispatch;
      this.#watchDelivery(to, dispatch);
    }

    if (this.#events.listenerCount('started') > 0) {
      this.#events.emit('started', {
        to,
        ...(reference === undefined ? {} : { reference }),
        sends,
        testNumber: testCode !== undefined,
        ...(result.dispatch === undefined
          ? {}
          : { provider: result.dispatch.provider, dispatchId: result.dispatch.id }),
        expiresAt: now + options.ttlMs,
        at: options.now(),
      });
    }
    if (failed !== undefined && result.dispatch && this.#events.listenerCount('resent') > 0) {
      this.#events.emit('resent', {
        to,
        ...(reference === undefined ? {} : { reference }),
        reason: failed.reason,
        previousProvider: failed.previous,
        provider: result.dispatch.provider,
        dispatchId: result.dispatch.id,
        sends,
        at: options.now(),
      });
    }
    return result;
  }

  /** Sends the verification's resend after a failed delivery, in the background: its outcome is in events. */
  #resend(to: string, found: Extract<DeliverResult, { found: true }>, failed: FailedDelivery): void {
    const input = {
      to,
      ...(found.locale === undefined ? {} : { locale: found.locale }),
      ...(found.reference === undefined ? {} : { reference: found.reference }),
    };
    // A refusal is a `refused` event, a failed send a dispatcher `failed` event: nothing to add here.
    this.#issue(validateStart(input), failed).catch(() => undefined);
  }

  /** With `resendIfNotDeliveredWithinMs`: resends once if no receipt said `delivered` by then. */
  #watchDelivery(to: string, dispatch: DispatchResult): void {
    const waitMs = this.#options.resendIfNotDeliveredWithinMs;
    if (waitMs === undefined) return;
    const request: Omit<DeliverRequest, 'now'> = {
      provider: dispatch.provider,
      messageId: dispatch.messageId,
      status: 'overdue',
      claimResend: true,
    };
    const timer = setTimeout(() => {
      this.#store.deliver(to, { ...request, now: this.#options.now() }).then(
        (found) => {
          if (found.found && found.resend) {
            this.#resend(to, found, { previous: dispatch.provider, reason: 'not_delivered_in_time' });
          }
        },
        () => undefined,
      );
    }, waitMs);
    timer.unref?.();
  }

  /**
   * Checks a code. Resolves with `approved` (once: the verification is then deleted), `pending` (a wrong
   * code, `attemptsLeft` more taken), `expired`, `max_attempts_reached` or `not_found`; never rejects
   * for a wrong code. Rejects with `INVALID_INPUT` for a bad number or a code that is not a string.
   */
  async check(input: CheckInput): Promise<CheckResult> {
    const { to, code } = validateCheck(input);
    const options = this.#options;
    const now = options.now();
    const result = await this.#store.check(to, {
      now,
      codeHash: hashCode(this.#key, to, code),
      maxAttempts: options.maxAttempts,
      lockMs: options.ttlMs,
    });
    const { status, attemptsLeft } = result;
    // Events are built only when someone listens: check() is the hot path.
    const events = this.#events;
    const base = () => ({
      to,
      ...(result.reference === undefined ? {} : { reference: result.reference }),
      at: now,
    });
    if (status === 'approved') {
      if (this.#guard && this.#testCode(to, now) === undefined) {
        // The verification is approved (and gone) already: a failure to count it for the pumping guard
        // must not turn the approval into an error.
        await this.#guard.approved(to, now).catch(() => undefined);
      }
      if (events.listenerCount('approved') > 0) events.emit('approved', { ...base(), attemptsLeft });
    } else if (status === 'pending') {
      if (events.listenerCount('rejected') > 0) events.emit('rejected', { ...base(), attemptsLeft });
      if (result.locked && events.listenerCount('locked') > 0) {
        events.emit('locked', { ...base(), lockedUntil: result.lockedUntil ?? now + options.ttlMs });
      }
    }
    return { status, attemptsLeft };
  }

  /** Ends the pending verification of a number: its codes stop working. `true` if there was one. A lock stays. */
  cancel(to: string): Promise<boolean> {
    try {
      validateNumber(to);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#store.cancel(to, { now: this.#options.now() });
  }

  /** Subscribes to an event. A listener that throws (or rejects) does not affect the verifier. */
  on<E extends VerifierEventName>(event: E, listener: VerifierEvents[E]): this {
    this.#events.on(event, listener);
    return this;
  }

  /** Like `on`, for the next occurrence only. */
  once<E extends VerifierEventName>(event: E, listener: VerifierEvents[E]): this {
    this.#events.once(event, listener);
    return this;
  }

  /** Removes a listener, or every listener of the event when none is given. */
  off<E extends VerifierEventName>(event: E, listener?: VerifierEvents[E]): this {
    this.#events.off(event, listener);
    return this;
  }

  /** Number of listeners of an event. */
  listenerCount(event: VerifierEventName): number {
    return this.#events.listenerCount(event);
  }

  /** The fixed code of a test number while test numbers are valid. */
  #testCode(to: string, now: number): string | undefined {
    const { testNumbers, testNumbersValidUntil } = this.#options;
    if (testNumbers.size === 0 || now >= testNumbersValidUntil) return undefined;
    return testNumbers.get(to);
  }

  #emitRefused(
    to: string,
    reference: string | undefined,
    key: string | undefined,
    refusal: Refusal,
    now: number,
  ) {
    if (this.#events.listenerCount('refused') === 0) return;
    this.#events.emit('refused', {
      to,
      ...(reference === undefined ? {} : { reference }),
      reason: refusal.reason,
      ...(key === undefined ? {} : { key }),
      ...(refusal.prefix === undefined ? {} : { prefix: refusal.prefix }),
      ...(refusal.retryAfterMs === undefined ? {} : { retryAfterMs: refusal.retryAfterMs }),
      at: now,
    });
  }
}

/** Creates a verifier. Throws `OtpError` `INVALID_CONFIG` at once, naming every bad option. */
export function createVerifier(options: VerifierOptions): Verifier {
  return new Verifier(options);
}
