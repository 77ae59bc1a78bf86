import { OtpError } from '@otpkit/core';

/** The key prefix when none is given. */
export const DEFAULT_PREFIX = 'otpkit:';

/**
 * Makes an id safe inside a hash tag: `%`, `{` and `}` become `%25`, `%7B` and `%7D`, so the tag ends
 * where it should and two ids never share a key.
 */
function escapeId(id: string): string {
  return id.replace(/[%{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Longest number or window key a store takes, in characters. */
const MAX_ID_LENGTH = 512;

function checkId(id: unknown, field: 'to' | 'key'): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    const message = `expected a string of 1 to ${MAX_ID_LENGTH} characters`;
    throw new OtpError('INVALID_INPUT', `${field}: ${message}`, { issues: [{ path: field, message }] });
  }
  return id;
}

/** The Redis keys of one store, every one of them hash-tagged by the number or window it belongs to. */
export interface StoreKeys {
  /** The pending verification of a number (a hash: HMACs, counts, times). */
  verification(to: string): string;
  /** The send window of a number (a hash: count, end). */
  sendWindow(to: string): string;
  /** A `hit` window or a `tally` counter (a hash: count, approvals, end). */
  counter(key: string): string;
}

/**
 * The keys of a store under `prefix`. A number's verification and send window share the hash tag
 * `{<number>}`, so the one script that touches both runs on one Redis Cluster slot.
 */
export function storeKeys(prefix: string): StoreKeys {
  return {
    verification: (to) => `${prefix}{${escapeId(checkId(to, 'to'))}}:v`,
    sendWindow: (to) => `${prefix}{${escapeId(checkId(to, 'to'))}}:w`,
    counter: (key) => `${prefix}{${escapeId(checkId(key, 'key'))}}:c`,
  };
}

/** Checks the `prefix` option: at most 128 characters, no `{` or `}` (they would move the hash tag). */
export function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || prefix.length > 128 || /[{}]/.test(prefix)) {
    const message = 'expected a string of at most 128 characters without { or }';
    throw new OtpError('INVALID_CONFIG', `prefix: ${message}`, { issues: [{ path: 'prefix', message }] });
  }
  return prefix;
}
