import type { MeterProvider, TracerProvider } from '@opentelemetry/api';

/** What `instrument` takes besides its target. */
export interface InstrumentOptions {
  /**
   * Where spans go.
   * @default trace.getTracerProvider() (the global tracer provider)
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go.
   * @default metrics.getMeterProvider() (the global meter provider)
   */
  meterProvider?: MeterProvider;
  /**
   * How much of a number attributes carry: by default its country calling code (`+91`); a number of
   * digits after `+` instead (at most 6, and never within 4 digits of the whole number).
   * @default the country calling code
   */
  prefixDigits?: number;
  /**
   * Window of the conversion-rate gauge (verifier only), in ms: approvals over first sends started in
   * it, by prefix (an hour).
   * @default 3600000
   */
  conversionWindowMs?: number;
  /**
   * First sends a prefix needs within the window before its conversion rate is reported (verifier only),
   * so a handful of numbers does not page anyone.
   * @default 20
   */
  conversionMinStarts?: number;
}

/** Undoes `instrument`: listeners removed, wrapped methods restored, observable callbacks dropped. */
export interface Instrumentation {
  uninstrument(): void;
}

/** The error fields the instrumentation reads (an `OtpError`'s). */
export interface ObservedError {
  code: string;
  providerCode?: string;
}

interface ObservedBase {
  id: string;
  to: string;
  provider: string;
  attempt: number;
  queuedAt: number;
  at: number;
}

/** The dispatcher events the instrumentation reads, as `@otpkit/core` emits them. */
export interface ObservedDispatcherEvents {
  queued: ObservedBase;
  retrying: ObservedBase & { error: ObservedError; delayMs: number };
  failover: ObservedBase & { error: ObservedError; nextProvider: string };
  sent: ObservedBase & { receipt: { messageId: string }; elapsedMs: number; unconfirmedAttempts: number };
  failed: ObservedBase & { error: ObservedError; elapsedMs: number; unconfirmedAttempts: number };
}

/** A provider as a dispatcher holds it. */
export interface ObservedProvider {
  readonly id: string;
  send(message: { to: string; reference?: string }, context: { attempt: number }): Promise<unknown>;
}

/** The part of `@otpkit/core`'s `Dispatcher` the instrumentation uses. */
export interface InstrumentableDispatcher {
  readonly providers: readonly string[];
  getProvider(id: string): ObservedProvider | undefined;
  health(): { providers: readonly { id: string; state: string }[]; queued: number; inFlight: number };
  /** Subscribes to an event (the listeners are typed by `ObservedDispatcherEvents`). */
  on(event: never, listener: never): unknown;
  off(event: never, listener: never): unknown;
}

/** The verifier events the instrumentation reads, as `@otpkit/verify` emits them. */
export interface ObservedVerifierEvents {
  started: { to: string; sends: number; testNumber: boolean; provider?: string };
  approved: { to: string };
  rejected: { to: string; attemptsLeft: number };
  locked: { to: string };
  refused: { to: string; reason: string };
}

/** The part of `@otpkit/verify`'s `Verifier` the instrumentation uses. */
export interface InstrumentableVerifier {
  start(input: { to: string }): Promise<{ sends: number }>;
  check(input: { to: string; code: string }): Promise<{ status: string }>;
  /** Subscribes to an event (the listeners are typed by `ObservedVerifierEvents`). */
  on(event: never, listener: never): unknown;
  off(event: never, listener: never): unknown;
}
