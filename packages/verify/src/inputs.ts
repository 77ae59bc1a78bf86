import {
  describeIssues,
  E164_PATTERN,
  isOtpError,
  OtpError,
  type OtpIssue,
  validateMessage,
} from '@otpkit/core';
import { LOCALE_PATTERN } from './verifier-schema.js';

/** What `verifier.start()` takes. */
export interface StartInput {
  /** The number, in E.164 form (`+14155550123`). */
  to: string;
  /** The language of the text (`en`, `pt-BR`); falls back `pt-BR` → `pt` → the default locale. */
  locale?: string;
  /** The app's correlation id, carried in the dispatcher's and the verifier's events. */
  reference?: string;
  /** What the app limits starts by (`maxSendsPerKey`): an IP address, a user id, a session. */
  key?: string;
  /** Aborting it ends the send with `ABORTED` (the code is then unusable). */
  signal?: AbortSignal;
}

/** What `verifier.check()` takes. */
export interface CheckInput {
  /** The number, in E.164 form. */
  to: string;
  /** The code the user typed. Any string: one of the wrong length or with other characters is a wrong code. */
  code: string;
}

const KEY_MESSAGE = 'expected 1 to 256 characters, no control characters';
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const KEY_PATTERN = /^[^\u0000-\u001f\u007f-\u009f]{1,256}$/;

/** Issues of `to` as the dispatcher words them (it validates every message the same way). */
function numberIssues(to: unknown, reference?: unknown): OtpIssue[] {
  if (reference === undefined && typeof to === 'string' && E164_PATTERN.test(to)) return [];
  try {
    validateMessage(reference === undefined ? { to, body: '0' } : { to, body: '0', reference });
    return [];
  } catch (error) {
    if (isOtpError(error) && error.issues) return [...error.issues];
    throw error;
  }
}

function fail(what: string, issues: OtpIssue[]): never {
  throw new OtpError('INVALID_INPUT', `Invalid ${what}: ${describeIssues(issues)}`, { issues });
}

/** Checks what `start()` got; throws `OtpError` `INVALID_INPUT` naming every bad field. */
export function validateStart(input: StartInput): StartInput {
  if (typeof input !== 'object' || input === null) {
    fail('verification start', [
      { path: '', message: 'expected { to, locale?, reference?, key?, signal? }' },
    ]);
  }
  const { to, locale, reference, key, signal } = input;
  const issues = numberIssues(to, reference);
  if (locale !== undefined && (typeof locale !== 'string' || !LOCALE_PATTERN.test(locale))) {
    issues.push({ path: 'locale', message: 'expected a language tag like "en" or "pt-BR"' });
  }
  if (key !== undefined && (typeof key !== 'string' || !KEY_PATTERN.test(key))) {
    issues.push({ path: 'key', message: KEY_MESSAGE });
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    issues.push({ path: 'signal', message: 'expected an AbortSignal' });
  }
  if (issues.length > 0) fail('verification start', issues);
  return input;
}

/** Checks what `check()` got; a code of any content is fine, but it must be a string. */
export function validateCheck(input: CheckInput): CheckInput {
  if (typeof input !== 'object' || input === null) {
    fail('verification check', [{ path: '', message: 'expected { to, code }' }]);
  }
  // The usual case first, without building an issue list.
  if (typeof input.code === 'string' && typeof input.to === 'string' && E164_PATTERN.test(input.to))
    return input;
  const issues = numberIssues(input.to);
  if (typeof input.code !== 'string') issues.push({ path: 'code', message: 'expected the code as a string' });
  if (issues.length > 0) fail('verification check', issues);
  return input;
}

/** Checks the number given to `cancel()`. */
export function validateNumber(to: string): string {
  const issues = numberIssues(to);
  if (issues.length > 0) fail('number', issues);
  return to;
}
