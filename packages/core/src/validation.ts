import * as v from 'valibot';
import { OtpError, type OtpIssue } from './errors.js';
import type { OtpMessage } from './types.js';

/** `+`, a non-zero digit, then 6 to 14 more digits: one E.164 number, nothing else. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;
/** Longest body accepted in one message (UTF-16 code units). */
export const MAX_BODY_LENGTH = 1600;
// Control characters (C0, DEL, C1) have no place in a sender, template id or reference; nor has a lone
// surrogate (half an emoji, from cutting a string), which no encoding can carry: it would go out as U+FFFD.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of this pattern
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f-\u009f\uD800-\uDFFF]*$/u;
/** True when the text has a lone surrogate (with the `u` flag, a well-formed pair is one code point). */
const hasLoneSurrogate = (value: string) => !(value as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Format characters (U+200B zero width space, U+202E right-to-left override, ...) and separators other
 * than the plain space (U+2028, U+00A0, ...): invisible or reordering, the tools of a spoofed sender.
 */
const FORMAT_OR_SEPARATOR = /[\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;

const TO =
  'to: expected one phone number in E.164 form: "+", then 7 to 15 digits, no spaces or separators (e.g. +14155550123)';

function text(field: string, max: number, what: string) {
  const message = `${field}: expected ${what}, 1 to ${max} characters, no control characters`;
  return v.optional(
    v.pipe(
      v.string(message),
      v.minLength(1, message),
      v.maxLength(max, message),
      v.regex(NO_CONTROL_CHARS, message),
    ),
  );
}

/** Only http and https URLs; the URL itself is never echoed (it may carry a token). */
export function httpUrl(message: string) {
  return v.pipe(
    v.string(message),
    v.check((value) => {
      if (hasLoneSurrogate(value) || !URL.canParse(value)) return false;
      const { protocol } = new URL(value);
      return protocol === 'https:' || protocol === 'http:';
    }, message),
  );
}

/**
 * A vendor's base URL: http or https, with no `user:password@` (a credential that every send would
 * carry, and that would surface in a network error), no `?query` and no `#fragment` (the request path
 * is appended to it). The URL is never echoed; say what is wrong in `message`.
 */
export function httpBaseUrl(message: string) {
  return v.pipe(
    v.string(message),
    v.check((value) => {
      if (hasLoneSurrogate(value) || !URL.canParse(value)) return false;
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        url.username === '' &&
        url.password === '' &&
        !value.includes('@') &&
        !value.includes('?') &&
        !value.includes('#')
      );
    }, message),
  );
}

const MAX_RESPONSE_BYTES_MESSAGE = 'maxResponseBytes: expected an integer from 1024 to 16777216 (16 MiB)';

/**
 * The valibot schema of a provider's `maxResponseBytes` option (see `RequestContext.maxResponseBytes` in
 * `@otpkit/core/http`): an integer from 1 KiB to 16 MiB, optional.
 */
export const MaxResponseBytesSchema = v.optional(
  v.pipe(
    v.number(MAX_RESPONSE_BYTES_MESSAGE),
    v.integer(MAX_RESPONSE_BYTES_MESSAGE),
    v.minValue(1024, MAX_RESPONSE_BYTES_MESSAGE),
    v.maxValue(16_777_216, MAX_RESPONSE_BYTES_MESSAGE),
  ),
);

/** The longest message id a receipt or a delivery report may carry; vendors' ids are well under it. */
export const MAX_MESSAGE_ID_LENGTH = 128;
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of this pattern
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * True for a message id otpkit accepts from a vendor: a string of 1 to `MAX_MESSAGE_ID_LENGTH`
 * characters, not blank, no control characters (CR, LF, NUL, ...), well-formed Unicode. A receipt with
 * any other id is `INVALID_RESPONSE`; a delivery report with one is `INVALID_INPUT`.
 */
export function isMessageId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_MESSAGE_ID_LENGTH &&
    value.trim() !== '' &&
    !CONTROL_CHAR.test(value) &&
    !hasLoneSurrogate(value)
  );
}

/** The valibot schema of a vendor's message id (see `isMessageId`), for providers' reply schemas. */
export const MessageIdSchema = v.custom<string>(
  isMessageId,
  `expected a message id: 1 to ${MAX_MESSAGE_ID_LENGTH} characters, no control characters`,
);

const MessageSchema = v.object(
  {
    to: v.pipe(v.string(TO), v.regex(E164_PATTERN, TO)),
    body: v.pipe(
      v.string('body: expected a string'),
      v.minLength(1, 'body: expected a non-empty string'),
      v.maxLength(MAX_BODY_LENGTH, `body: expected at most ${MAX_BODY_LENGTH} characters`),
      v.check(
        (value) => !hasLoneSurrogate(value),
        'body: expected well-formed Unicode text (a lone surrogate, e.g. half of an emoji cut off, cannot be sent)',
      ),
    ),
    sender: v.optional(
      v.pipe(
        v.unwrap(text('sender', 15, 'a sender id')),
        v.check(
          (value) => !FORMAT_OR_SEPARATOR.test(value),
          'sender: expected a sender id without invisible, format or separator characters (zero width, right-to-left override, line separator, ...)',
        ),
      ),
    ),
    templateId: text('templateId', 64, 'a template id'),
    callbackUrl: v.optional(httpUrl('callbackUrl: expected an http or https URL')),
    reference: text('reference', 256, 'a reference'),
  },
  'message: expected an object with "to" and "body"',
);

/** The valibot schema of an `OtpMessage`. Messages name the field and never echo the value. */
export const OtpMessageSchema: v.GenericSchema<unknown, OtpMessage> = MessageSchema;

/** Turns valibot issues into `OtpIssue`s (dotted path, our message; never the input value). */
export function toOtpIssues(issues: readonly v.BaseIssue<unknown>[], prefix = ''): OtpIssue[] {
  const seen = new Set<string>();
  return issues.flatMap((issue) => {
    const path = v.getDotPath(issue);
    const full = [prefix, path].filter(Boolean).join('.');
    // valibot's own messages end with "but received <value>" or "Received <value>": never echo a value
    // (it may be a secret), and redact any string input the message still holds.
    let message = issue.message
      .replace(/\s+but received[\s\S]*$/, '')
      .replace(/^(Invalid [^:]*): Received [\s\S]*$/, '$1');
    if (typeof issue.input === 'string' && issue.input.length >= 4)
      message = message.split(issue.input).join('[redacted]');
    // A required key that is missing gets the object's message from valibot: say what it is.
    const key = issue.path?.at(-1)?.key;
    if (issue.kind === 'schema' && issue.received === 'undefined' && issue.expected === `"${String(key)}"`) {
      message = 'required, but missing';
    }
    // Our messages start with the field name; valibot's own generic ones get the path in front.
    const named = path && message.startsWith(`${path}:`) ? message.slice(path.length + 1).trim() : message;
    // One value can fail several checks that share a message: report it once.
    const line = `${full}\u0000${named}`;
    if (seen.has(line)) return [];
    seen.add(line);
    return [{ path: full, message: named }];
  });
}

/** The `INVALID_CONFIG` error for these issues: `"<title>: path: message; ..."`, with `issues` set. */
export function invalidConfig(title: string, issues: OtpIssue[]): OtpError {
  return new OtpError('INVALID_CONFIG', `${title}: ${describeIssues(issues)}`, { issues });
}

/** One line per issue: `path: message`. */
export function describeIssues(issues: readonly OtpIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}

const validated = new WeakSet<object>();

/**
 * Checks a message and returns a clean copy holding only the known fields. Throws `OtpError`
 * `INVALID_INPUT` naming every wrong field. A message returned by this function is remembered, so a
 * provider that calls it again under the dispatcher pays nothing.
 */
export function validateMessage(input: unknown): OtpMessage {
  if (typeof input === 'object' && input !== null && validated.has(input)) return input as OtpMessage;
  let result: v.SafeParseResult<typeof OtpMessageSchema>;
  try {
    result = v.safeParse(OtpMessageSchema, Array.isArray(input) ? null : input);
  } catch {
    // A getter or a Proxy trap that throws: the message cannot be read, and what it threw (the app's
    // own error, perhaps holding the body) is not kept.
    throw new OtpError(
      'INVALID_INPUT',
      'Invalid OTP message: message: expected a plain object; reading one of its fields threw',
      { issues: [{ path: '', message: 'expected a plain object; reading one of its fields threw' }] },
    );
  }
  if (!result.success) {
    const issues = toOtpIssues(result.issues);
    throw new OtpError('INVALID_INPUT', `Invalid OTP message: ${describeIssues(issues)}`, { issues });
  }
  // Frozen, so a message that skips re-validation cannot have changed since it was checked.
  const message = Object.freeze(result.output) as OtpMessage;
  validated.add(message);
  return message;
}
