import { type Refusal, WINDOW_KEYS } from './limits.js';
import type { VerificationStore } from './store.js';
import type { PumpingGuardOptions } from './verifier-options.js';

/**
 * The conversion guard against SMS pumping: per destination prefix (the first `prefixLength` digits
 * after `+`) it counts sends and approvals over a fixed window. Once a prefix has had `minSends` sends
 * in the window and fewer than `minConversion` of them were approved (many codes out, nobody entering
 * them: the sign of traffic pumping), starts to it are refused until the window ends.
 */
export interface PumpingGuard {
  /** The refusal for this number, when its prefix is held. Reads only. */
  check(to: string, now: number): Promise<Refusal | undefined>;
  /** Counts a send to this number's prefix. */
  sent(to: string, now: number): Promise<void>;
  /** Counts an approved verification of this number's prefix. */
  approved(to: string, now: number): Promise<void>;
}

export function createPumpingGuard(
  store: VerificationStore,
  options: Required<PumpingGuardOptions>,
): PumpingGuard {
  const { prefixLength, windowMs, minSends, minConversion } = options;
  const prefixOf = (to: string) => to.slice(0, 1 + prefixLength);
  return {
    async check(to, now) {
      const prefix = prefixOf(to);
      const tally = await store.tally(WINDOW_KEYS.pumping(prefix), { now, windowMs });
      if (tally.sent < minSends || tally.approved >= tally.sent * minConversion) return undefined;
      return { reason: 'pumping', prefix, retryAfterMs: Math.max(0, tally.resetAt - now) };
    },
    async sent(to, now) {
      await store.tally(WINDOW_KEYS.pumping(prefixOf(to)), { now, windowMs, sent: 1 });
    },
    async approved(to, now) {
      await store.tally(WINDOW_KEYS.pumping(prefixOf(to)), { now, windowMs, approved: 1 });
    },
  };
}
