/** The longest wait `parseRetryAfter` returns: the largest delay a Node.js timer takes (about 24.8 days). */
export const MAX_RETRY_AFTER_MS = 2_147_483_647;

/** delay-seconds (RFC 9110 §10.2.3); a decimal fraction is read too, as some vendors send one. */
const DELAY_SECONDS = /^(\d+)(?:\.\d+)?$/;
/** IMF-fixdate, the one HTTP-date form a sender may generate (RFC 9110 §5.6.7). */
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Milliseconds to wait from a `Retry-After` header, read as RFC 9110 has it: delay-seconds (`"120"`,
 * or a decimal `"1.5"`) or an IMF-fixdate (`"Wed, 21 Oct 2015 07:28:00 GMT"`). Anything else (a list
 * such as `"1,5"`, another date form, a unit) is no `Retry-After`: `undefined`. Never negative, and at
 * most `MAX_RETRY_AFTER_MS` (a 400-digit delay is that, not `Infinity`).
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  const seconds = DELAY_SECONDS.exec(trimmed);
  if (seconds !== null) {
    // More whole digits than a timer can wait is "not soon": the ceiling, with no float overflow.
    if (seconds[1]!.length > 10) return MAX_RETRY_AFTER_MS;
    return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(trimmed) * 1000));
  }
  if (!IMF_FIXDATE.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}
