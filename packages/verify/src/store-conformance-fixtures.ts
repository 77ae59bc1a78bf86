import { createHmac } from 'node:crypto';
import type { BeginRequest, CheckRequest, VerificationStore } from './store.js';

/** Runs one case of the conformance kit on a fresh store. */
export type WithStore<S extends VerificationStore> = (
  run: (store: S) => Promise<void>,
) => () => Promise<void>;

export const T0 = 1_700_000_000_000;
export const TTL = 600_000;
export const COOLDOWN = 30_000;
export const LOCK = TTL;
export const MAX = 5;
export const TO = '+14155550123';

/** A stand-in for the verifier's HMAC: the store only ever sees such strings. */
export const fakeHash = (label: string) =>
  createHmac('sha256', 'conformance').update(label).digest('base64url');
export const A = fakeHash('a');
export const B = fakeHash('b');
export const WRONG = fakeHash('wrong');

export const begin = (at: number, codeHash: string, extra: Partial<BeginRequest> = {}): BeginRequest => ({
  now: at,
  codeHash,
  ttlMs: TTL,
  resendAfterMs: COOLDOWN,
  maxSends: { count: 100, windowMs: TTL },
  ...extra,
});
export const check = (at: number, codeHash: string, extra: Partial<CheckRequest> = {}): CheckRequest => ({
  now: at,
  codeHash,
  maxAttempts: MAX,
  lockMs: LOCK,
  ...extra,
});
