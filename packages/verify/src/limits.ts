import type { RefusalReason } from './events.js';
import type { SendWindow, VerificationStore } from './store.js';
import type { PrefixLimit } from './verifier-options.js';

/** Why a start may not go on, before anything is stored for it. */
export interface Refusal {
  reason: RefusalReason;
  /** The prefix concerned (`prefix_limit`, a blocked prefix, `pumping`). */
  prefix?: string;
  retryAfterMs?: number;
}

/** Store keys of the windows; numbers (verifications) are keyed by themselves and never start with a letter. */
export const WINDOW_KEYS = Object.freeze({
  key: (key: string) => `key:${key}`,
  prefix: (prefix: string) => `prefix:${prefix}`,
  pumping: (prefix: string) => `pumping:${prefix}`,
});

/**
 * The destination rule a number breaks: outside `allowedPrefixes` (when given) or inside
 * `blockedPrefixes`. `undefined` when it may get a code.
 */
export function destinationRefusal(
  to: string,
  allowed: readonly string[] | undefined,
  blocked: readonly string[],
): Refusal | undefined {
  const block = blocked.find((prefix) => to.startsWith(prefix));
  if (block !== undefined) return { reason: 'blocked', prefix: block };
  if (allowed !== undefined && !allowed.some((prefix) => to.startsWith(prefix))) return { reason: 'blocked' };
  return undefined;
}

/**
 * Counts a start in the window of the app's `key`, then in every prefix window the number falls in
 * (most specific first), and stops at the first that is full (its refusal). A refused start is counted
 * in the windows before that one, not in those after it.
 */
export async function consumeWindows(
  store: VerificationStore,
  to: string,
  key: string | undefined,
  perKey: SendWindow,
  prefixLimits: readonly PrefixLimit[],
  now: number,
): Promise<Refusal | undefined> {
  if (key !== undefined) {
    const state = await store.hit(WINDOW_KEYS.key(key), {
      now,
      windowMs: perKey.windowMs,
      limit: perKey.count,
    });
    if (!state.allowed)
      return { reason: 'max_sends_per_key', retryAfterMs: Math.max(0, state.resetAt - now) };
  }
  for (const limit of prefixLimits) {
    if (!to.startsWith(limit.prefix)) continue;
    const state = await store.hit(WINDOW_KEYS.prefix(limit.prefix), {
      now,
      windowMs: limit.windowMs,
      limit: limit.count,
    });
    if (!state.allowed) {
      return { reason: 'prefix_limit', prefix: limit.prefix, retryAfterMs: Math.max(0, state.resetAt - now) };
    }
  }
  return undefined;
}
