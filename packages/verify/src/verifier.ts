import type { KeyObject } from 'node:crypto';
import { type DispatchResult, OtpError, type OtpMessage, SafeEmitter, validateMessage } from '@otpkit/core';
import { generateCode } from './code.js';
import type { VerifierEventName, VerifierEvents } from './events.js';
import { createCodeKey, hashCode } from './hmac.js';
import { type CheckInput, type StartInput, validateCheck, validateNumber, validateStart } from './inputs.js';
import { consumeWindows, destinationRefusal, type Refusal } from './limits.js';
import { createMemoryStore } from './memory-store.js';
import { createMessageComposer, type MessageComposer } from './messages.js';
import { createPumpingGuard, type PumpingGuard } from './pumping-guard.js';
import { refusalError } from './refusal.js';
import type { CheckStatus, VerificationStore } from './store.js';
import {
  type ResolvedVerifierOptions,
  resolveVerifierOptions,
  type VerifierOptions,
} from './verifier-options.js';

/** What `start()` resolves with once a vendor accepted the SMS (or at once for a test number). */
export interface StartResult {
  to: string;
  status: 'pending';
  /** When this code expires. */
  expiresAt: Date;
  /** Sends of this verification so far, this one included (2 and up: a resend). */
  sends: number;
  /** When a resend may be asked for (`resendAfterMs` after this send). */
  resendAt: Date;
  /** The dispatcher's result; absent for a test number. */
  dispatch?: DispatchResult;
}

/** What `check()` resolves with. It never rejects for a wrong code. */
export interface CheckResult {
  status: CheckStatus;
  /** Wrong codes still taken before the number is locked. */
  attemptsLeft: number;
}

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
    const { to, locale, reference, key, signal } = validateStart(input);
    if (signal?.aborted) {
      throw new OtpError('ABORTED', 'The verification start was aborted by the caller', {
        cause: signal.reason,
      });
    }
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
      resendAfterMs: options.resendAfterMs,
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
      const startWith = resend ? this.#nextProvider(to, previous) : undefined;
      let dispatch: DispatchResult;
      try {
        dispatch = await options.dispatcher.send(message, {
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
        await store.settle(to, { now: options.now(), codeHash, provider: dispatch.provider });
      } catch {}
      result.dispatch = dispatch;
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
    return result;
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

  /** The provider after `previous` among those serving `to`, wrapping round; none with one provider. */
  #nextProvider(to: string, previous: string | undefined): string | undefined {
    if (previous === undefined) return undefined;
    const providers = this.#options.dispatcher.providersFor(to);
    const index = providers.indexOf(previous);
    if (providers.length < 2 || index < 0) return undefined;
    return providers[(index + 1) % providers.length];
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
