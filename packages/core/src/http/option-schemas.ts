import * as v from 'valibot';

// Small valibot builders for the options vendors take, each with a message that names the option and
// never echoes its value, so a misplaced secret never lands in a log.

/** A credential: a non-empty string of printable ASCII without spaces (an API key, a token, a secret). */
export function credentialOption(field: string, what: string) {
  const message = `${field}: expected a non-empty string without spaces (${what})`;
  return v.pipe(v.string(message), v.regex(/^[\x21-\x7e]+$/, message));
}

/** A string matching `pattern`; the message says "`field`: expected `expected`". */
export function patternOption(field: string, pattern: RegExp, expected: string) {
  const message = `${field}: expected ${expected}`;
  return v.pipe(v.string(message), v.regex(pattern, message));
}

/** An account or resource id: `prefix` followed by 32 hexadecimal characters (Twilio's `AC…`, `SK…`). */
export function prefixedIdOption(field: string, prefix: string, what: string) {
  return patternOption(
    field,
    new RegExp(`^${prefix}[0-9a-fA-F]{32}$`),
    `"${prefix}" followed by 32 hexadecimal characters (${what})`,
  );
}

/** An integer from `min` to `max`; `hint` (e.g. "20 s to 7 days") follows the range in the message. */
export function integerOption(field: string, min: number, max: number, hint?: string) {
  const message = `${field}: expected an integer from ${min} to ${max}${hint ? ` (${hint})` : ''}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

/**
 * A rule over several options of an object schema (exactly one sender, a key with its secret), for
 * its `v.pipe`: `check` sees the options once each of `keys` is valid; `message` is reported at `at`
 * (default the first key). Every rule runs even when other options are wrong, so each problem is
 * reported at once.
 */
export function optionRule<T extends Record<string, unknown>>(
  keys: readonly (keyof T & string)[],
  check: (options: T) => boolean,
  message: string,
  at: keyof T & string = keys[0]!,
): v.BaseValidation<T, T, v.BaseIssue<unknown>> {
  // valibot types paths as literal tuples; these are built at run time, hence the casts.
  const paths = keys.map((key) => [key]) as never;
  const rule = v.partialCheck<T, never, never, string>(paths, (input) => check(input as T), message);
  return v.forward(rule as never, [at] as never);
}
