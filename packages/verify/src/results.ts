import type { DispatchResult } from '@otpkit/core';
import type { CheckStatus } from './store.js';

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
