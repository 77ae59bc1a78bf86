/**
 * Where a verifier keeps its state: pending verifications (the HMACs of their codes, counts, times) and
 * the counters of its limits.
 *
 * The contract, which every store keeps (and `describeStoreConformance` from `@otpkit/verify/testing`
 * proves):
 * - **Each method is one atomic step.** Two calls that race (two checks of one number, two starts) see
 *   each other's effect in some order, never half of it. A Redis store runs each as one Lua script, one
 *   round trip; the memory store runs each without an `await` in between.
 * - **One key per call.** A method touches one number (`to`, its verification and its send window) or
 *   one counter (`key`), never both, so a Redis Cluster store can keep each in one hash slot.
 * - **The caller's clock.** Every request carries `now` (epoch ms) and the store judges every expiry by
 *   it, not by its own clock, so tests can move time. Stores still give every entry a real expiry (a
 *   Redis `PEXPIRE`, the memory store's sweeps) so nothing grows without bound.
 * - **No secrets.** Values hold HMACs (never a code), counts, times, the app's `reference` and the id
 *   of the provider that carried the last send; nothing else.
 */
export interface VerificationStore {
  /**
   * Starts a verification of `to`, or adds a code to the pending one (a resend), in one step: refuses
   * while the number is locked, within the resend cool-down of the last send, or when the number's send
   * window is full; otherwise counts the send in that window and stores the code's HMAC. A resend keeps
   * the attempts made so far; when no code of the verification is still valid, a new verification
   * starts with no attempts made.
   */
  begin(to: string, request: BeginRequest): Promise<BeginResult>;
  /**
   * Records the outcome of the send of one code: the id of the provider that carried it, or (with no
   * `provider`) that the send failed, which drops the code. Nothing happens when the verification is
   * gone or does not hold the code.
   */
  settle(to: string, request: SettleRequest): Promise<void>;
  /**
   * Records a delivery receipt for the latest send of the pending verification of `to`, in one step,
   * when `provider` and `messageId` are those `settle` recorded for it: its status (`delivered`,
   * `undelivered`; `overdue` records nothing), and, with `claimResend`, whether this receipt takes the
   * verification's one resend after a failed delivery (an `undelivered`, or an `overdue` send not known
   * delivered, of a verification with a valid code, not locked, that has not had it). Answers what is
   * kept of the send (its dispatch id, the reference, the locale), so that a receipt that lands on
   * another process than the send is correlated; `{ found: false }` for any other message.
   */
  deliver(to: string, request: DeliverRequest): Promise<DeliverResult>;
  /**
   * Checks a code's HMAC against the valid codes of the pending verification and counts a wrong one, in
   * one step: see `CheckStatus` for the answers. Compares in constant time. An approved verification is
   * deleted.
   */
  check(to: string, request: CheckRequest): Promise<StoreCheckResult>;
  /** Deletes the pending verification of `to`; `true` when there was one. A lock stays. */
  cancel(to: string, request: { now: number }): Promise<boolean>;
  /**
   * Counts one hit in the fixed window `key` (it starts at its first hit and lasts `windowMs`) unless it
   * already holds `limit` hits; a refused hit is not counted.
   */
  hit(key: string, request: HitRequest): Promise<WindowState>;
  /**
   * Adds to the two counters of the conversion window `key` (sends and approvals; it starts at its first
   * change and lasts `windowMs`) and returns them. With nothing to add, only reads them.
   */
  tally(key: string, request: TallyRequest): Promise<TallyState>;
}

/** A send window: at most `count` sends in `windowMs`. */
export interface SendWindow {
  count: number;
  windowMs: number;
}

export interface BeginRequest {
  /** The caller's clock, epoch ms. */
  now: number;
  /** HMAC of the new code (base64url), never the code. */
  codeHash: string;
  /**
   * How long the code is valid, in ms. After that it answers `expired` for as long again; the whole
   * verification is kept until then (or until a lock ends).
   */
  ttlMs: number;
  /** Refuse (`cooldown`) when the last send of a pending verification is more recent than this, in ms. */
  resendAfterMs: number;
  /** The number's send window; absent for a test number, whose starts send nothing. */
  maxSends?: SendWindow;
  /** The app's correlation id, kept for events; a resend without one keeps the earlier one. */
  reference?: string;
}

export type BeginResult =
  | {
      ok: true;
      /** Sends of this verification so far, this one included. */
      sends: number;
      /** True when a code of the verification was still valid: this send is a resend. */
      resend: boolean;
      /** The provider that carried the last settled send, for a resend. */
      provider?: string;
    }
  | {
      ok: false;
      /** `locked`: too many wrong codes; `cooldown`: the resend cool-down; `max_sends`: the number's window. */
      reason: 'locked' | 'cooldown' | 'max_sends';
      /** When a start may succeed, in ms from `now`. */
      retryAfterMs: number;
    };

export interface SettleRequest {
  now: number;
  codeHash: string;
  /** The provider that accepted the send; absent when the send failed (the code is dropped). */
  provider?: string;
  /** The vendor's message id of the send, with `provider`: delivery receipts refer to it. */
  messageId?: string;
  /** The dispatcher's id of the send, with `provider`, for the `delivered` / `undelivered` events. */
  dispatchId?: string;
  /** The locale the text was written in, with `provider`, for a resend after a failed delivery. */
  locale?: string;
}

export interface DeliverRequest {
  now: number;
  /** The provider id of the receipt. */
  provider: string;
  /** The vendor's message id of the receipt. */
  messageId: string;
  /** What the receipt says; `overdue`: no receipt came in time (nothing is recorded). */
  status: 'delivered' | 'undelivered' | 'overdue';
  /** Take the verification's one resend when this receipt is a failed delivery of its latest send. */
  claimResend: boolean;
}

export type DeliverResult =
  | { found: false }
  | {
      found: true;
      /** The dispatch id of the send, when `settle` recorded it. */
      dispatchId?: string;
      /** The verification's `reference`, when it had one. */
      reference?: string;
      /** The locale of the send's text, when `settle` recorded it. */
      locale?: string;
      /** The delivery status recorded for the send, this receipt included. */
      delivery: 'delivered' | 'undelivered' | 'unknown';
      /** True when this call took the verification's one resend: the caller sends it. */
      resend: boolean;
    };

export interface CheckRequest {
  now: number;
  /** HMAC of the code given (base64url). */
  codeHash: string;
  /** Wrong codes a verification takes; the one that reaches it locks the number. */
  maxAttempts: number;
  /** How long a lock lasts, in ms. */
  lockMs: number;
}

/**
 * - `approved`: a valid code matched; the verification is deleted (single use).
 * - `pending`: a wrong code; `attemptsLeft` more are taken (0: this one locked the number).
 * - `expired`: the code matched one that has expired, or no code of the verification is valid any more.
 * - `max_attempts_reached`: the number is locked.
 * - `not_found`: no verification (never started, approved, cancelled, gone, or every send failed).
 */
export type CheckStatus = 'approved' | 'pending' | 'expired' | 'max_attempts_reached' | 'not_found';

export interface StoreCheckResult {
  status: CheckStatus;
  /** Wrong codes still taken: `maxAttempts` minus those made; 0 when locked or not found. */
  attemptsLeft: number;
  /** True when this check locked the number (the wrong code that used the last attempt). */
  locked?: boolean;
  /** When the lock ends (epoch ms), with `locked` or `max_attempts_reached`. */
  lockedUntil?: number;
  /** The verification's `reference`, when it had one. */
  reference?: string;
}

export interface HitRequest {
  now: number;
  windowMs: number;
  /** Hits the window takes. */
  limit: number;
}

export interface WindowState {
  /** Whether this hit was counted (the window had room). */
  allowed: boolean;
  /** Hits counted in the window, this one included when allowed. */
  count: number;
  /** When the window ends (epoch ms). */
  resetAt: number;
}

export interface TallyRequest {
  now: number;
  windowMs: number;
  /** Sends to add. Default 0. */
  sent?: number;
  /** Approvals to add. Default 0. */
  approved?: number;
}

export interface TallyState {
  sent: number;
  approved: number;
  /** When the window ends (epoch ms); `now` when it has not started. */
  resetAt: number;
}
