import { OtpError } from '@otpkit/core';
import type { RefusalReason } from './events.js';
import type { Refusal } from './limits.js';

const reasons = new WeakMap<OtpError, RefusalReason>();

const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))} s`;

/** The `OtpError` a refused start rejects with: `RATE_LIMITED` with `retryAfterMs`, or `REJECTED`. */
export function refusalError(refusal: Refusal): OtpError {
  const { reason, prefix, retryAfterMs } = refusal;
  const wait = retryAfterMs === undefined ? '' : `; try again in ${seconds(retryAfterMs)}`;
  let error: OtpError;
  const limited = (message: string) =>
    new OtpError('RATE_LIMITED', `${message}${wait}`, retryAfterMs === undefined ? {} : { retryAfterMs });
  switch (reason) {
    case 'locked':
      error = limited('Too many wrong codes were given for this number');
      break;
    case 'cooldown':
      error = limited('A code was sent to this number moments ago');
      break;
    case 'max_sends':
      error = limited('Too many codes were sent to this number');
      break;
    case 'max_sends_per_key':
      error = limited('Too many codes were asked for with this key');
      break;
    case 'prefix_limit':
      error = limited(`Too many codes were sent to numbers starting with ${prefix}`);
      break;
    case 'blocked':
      error = new OtpError(
        'REJECTED',
        'Codes are not sent to this destination (allowedPrefixes / blockedPrefixes)',
      );
      break;
    case 'pumping':
      error = new OtpError(
        'REJECTED',
        `Codes to numbers starting with ${prefix} are held: too few of the codes sent there were entered (pumping guard)${wait}`,
        retryAfterMs === undefined ? {} : { retryAfterMs },
      );
      break;
  }
  reasons.set(error, reason);
  return error;
}

/**
 * Why `verifier.start()` refused, for an error it rejected with (`cooldown`, `locked`, `max_sends`,
 * `max_sends_per_key`, `prefix_limit`, `blocked`, `pumping`); `undefined` for any other error.
 */
export function refusalReason(error: unknown): RefusalReason | undefined {
  return error instanceof OtpError ? reasons.get(error) : undefined;
}
