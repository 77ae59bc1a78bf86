/**
 * Fields every verifier event carries. No event carries a code, an HMAC or the secret.
 */
export interface VerificationEventBase {
  /** The number (E.164). */
  to: string;
  /** The `reference` given to `start()`, when there was one. */
  reference?: string;
  /** When the event happened (epoch ms, by the verifier's clock). */
  at: number;
}

/** A code went out (or, for a test number, was set without an SMS). */
export interface StartedEvent extends VerificationEventBase {
  /** Sends of this verification so far, this one included (2 and up: a resend). */
  sends: number;
  /** True for a test number: no SMS was sent. */
  testNumber: boolean;
  /** The provider that carried the SMS; absent for a test number. */
  provider?: string;
  /** The dispatch id of the send; absent for a test number. */
  dispatchId?: string;
  /** When the code expires (epoch ms). */
  expiresAt: number;
}

/** The right code was given: the verification is done and deleted. */
export interface ApprovedEvent extends VerificationEventBase {
  /** Wrong codes that were still allowed. */
  attemptsLeft: number;
}

/** A wrong code was given. */
export interface RejectedEvent extends VerificationEventBase {
  /** Wrong codes still allowed; 0 means this one locked the number (a `locked` event follows). */
  attemptsLeft: number;
}

/** Too many wrong codes: checks answer `max_attempts_reached` and starts are refused until `lockedUntil`. */
export interface LockedEvent extends VerificationEventBase {
  lockedUntil: number;
}

/** Why a start was refused. */
export type RefusalReason =
  /** The number is locked after too many wrong codes (`RATE_LIMITED`). */
  | 'locked'
  /** A resend within `resendAfterMs` of the last send (`RATE_LIMITED`). */
  | 'cooldown'
  /** The number's window, `maxSends`, is full (`RATE_LIMITED`). */
  | 'max_sends'
  /** The window of the app's `key`, `maxSendsPerKey`, is full (`RATE_LIMITED`). */
  | 'max_sends_per_key'
  /** A `prefixLimits` window is full (`RATE_LIMITED`). */
  | 'prefix_limit'
  /** The number is outside `allowedPrefixes` or inside `blockedPrefixes` (`REJECTED`). */
  | 'blocked'
  /** The pumping guard holds the number's prefix (`REJECTED`). */
  | 'pumping';

/** A start was refused before any SMS. */
export interface RefusedEvent extends VerificationEventBase {
  reason: RefusalReason;
  /** The `key` given to `start()`, when there was one. */
  key?: string;
  /** The prefix concerned, for `prefix_limit`, `blocked` (a blocked prefix) and `pumping`. */
  prefix?: string;
  /** How long until a start may succeed, in ms, when that is known. */
  retryAfterMs?: number;
}

/** A new code went out again after the vendor said the last one was not delivered (or said nothing in time). */
export interface ResentEvent extends VerificationEventBase {
  /** `undelivered`: a receipt said so; `not_delivered_in_time`: none said `delivered` within `resendIfNotDeliveredWithinMs`. */
  reason: 'undelivered' | 'not_delivered_in_time';
  /** The provider of the send that failed. */
  previousProvider: string;
  /** The provider that carried the new code. */
  provider: string;
  /** The dispatch id of the new send. */
  dispatchId: string;
  /** Sends of this verification so far, this one included. */
  sends: number;
}

/** Every event of a verifier, by name. */
export interface VerifierEvents {
  started: (event: StartedEvent) => void;
  approved: (event: ApprovedEvent) => void;
  rejected: (event: RejectedEvent) => void;
  locked: (event: LockedEvent) => void;
  refused: (event: RefusedEvent) => void;
  resent: (event: ResentEvent) => void;
}

export type VerifierEventName = keyof VerifierEvents;
