// Vendors date their callbacks in several ways; one reader for all of them.

/**
 * A vendor's time: Unix seconds (10 digits) or milliseconds (13 digits), `YYYY-MM-DD HH:MM[:SS]`
 * without a zone (read in `zone`), or anything `Date` reads (ISO 8601 with its offset, RFC 2822).
 * `undefined` for no value or one that is not a time.
 * @param zone the offset of a time written without one, e.g. `"Z"` or `"+05:30"`; `""` reads it
 * in the server's local time. Default `"Z"`.
 */
export function parseVendorTime(value: unknown, zone = 'Z'): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  let at: Date;
  if (/^\d{10}$/.test(text)) at = new Date(Number(text) * 1000);
  else if (/^\d{13}$/.test(text)) at = new Date(Number(text));
  else {
    const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/.exec(text);
    at = new Date(local ? `${local[1]}T${local[2]}${zone}` : text.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T'));
  }
  return Number.isNaN(at.getTime()) ? undefined : at;
}
