import type { OtpIssue } from './errors.js';

/**
 * The rules of routing by destination, shared by the dispatcher's `routes` option and the config kit's
 * `routes`: what a prefix is, and that no prefix is routed twice.
 */

/** A route's prefix: `+` and up to 14 digits (`"+91"`, `"+1"`, `"+4420"`; `"+"` alone matches every number). */
export const ROUTE_PREFIX = /^\+\d{0,14}$/;

/** What a wrong prefix is told. */
export const ROUTE_PREFIX_MESSAGE = 'expected "+" and up to 14 digits, e.g. "+91"';

/** The issue when `prefix` is already in `seen` (a prefix routed twice); else remembers it. */
export function routedTwice(prefix: string, seen: Set<string>, path: string): OtpIssue | undefined {
  if (seen.has(prefix)) return { path, message: `"${prefix}" is routed twice` };
  seen.add(prefix);
  return undefined;
}
