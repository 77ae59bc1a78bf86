import { describeIssues, OtpError, type OtpIssue, setOptionPath, toOtpIssues } from '@otpkit/core';
import * as v from 'valibot';
import type { VerifierOptions } from './verifier-options.js';
import { VerifierSettingsSchema } from './verifier-schema.js';

/** The settings `verifierOptionsFromEnv` can read: every option that is a value, not an object of the app's. */
export type VerifierEnvOptions = Pick<
  VerifierOptions,
  | 'secret'
  | 'codeLength'
  | 'ttlMs'
  | 'maxAttempts'
  | 'resendAfterMs'
  | 'maxSends'
  | 'maxSendsPerKey'
  | 'allowedPrefixes'
  | 'blockedPrefixes'
  | 'defaultLocale'
  | 'appName'
  | 'webOtp'
  | 'appHash'
  | 'sender'
  | 'testNumbers'
  | 'testNumbersValidUntil'
>;

/** The environment variables `verifierOptionsFromEnv` reads, and the option each sets. */
export const OTPKIT_VERIFY_ENV = Object.freeze({
  OTPKIT_VERIFY_SECRET: 'secret',
  OTPKIT_VERIFY_CODE_LENGTH: 'codeLength',
  OTPKIT_VERIFY_TTL_MS: 'ttlMs',
  OTPKIT_VERIFY_MAX_ATTEMPTS: 'maxAttempts',
  OTPKIT_VERIFY_RESEND_AFTER_MS: 'resendAfterMs',
  OTPKIT_VERIFY_MAX_SENDS: 'maxSends.count',
  OTPKIT_VERIFY_MAX_SENDS_WINDOW_MS: 'maxSends.windowMs',
  OTPKIT_VERIFY_MAX_SENDS_PER_KEY: 'maxSendsPerKey.count',
  OTPKIT_VERIFY_MAX_SENDS_PER_KEY_WINDOW_MS: 'maxSendsPerKey.windowMs',
  OTPKIT_VERIFY_ALLOWED_PREFIXES: 'allowedPrefixes',
  OTPKIT_VERIFY_BLOCKED_PREFIXES: 'blockedPrefixes',
  OTPKIT_VERIFY_DEFAULT_LOCALE: 'defaultLocale',
  OTPKIT_VERIFY_APP_NAME: 'appName',
  OTPKIT_VERIFY_WEBOTP_DOMAIN: 'webOtp.domain',
  OTPKIT_VERIFY_APP_HASH: 'appHash',
  OTPKIT_VERIFY_SENDER: 'sender',
  OTPKIT_TEST_NUMBERS: 'testNumbers',
  OTPKIT_TEST_NUMBERS_VALID_UNTIL: 'testNumbersValidUntil',
});

const NUMERIC = new Set([
  'codeLength',
  'ttlMs',
  'maxAttempts',
  'resendAfterMs',
  'maxSends.count',
  'maxSends.windowMs',
  'maxSendsPerKey.count',
  'maxSendsPerKey.windowMs',
]);
const DEFAULT_WINDOWS = {
  maxSends: { count: 5, windowMs: 600_000 },
  maxSendsPerKey: { count: 10, windowMs: 600_000 },
};
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Reads verifier settings from environment variables (`OTPKIT_VERIFY_SECRET`, `OTPKIT_VERIFY_TTL_MS`,
 * `OTPKIT_TEST_NUMBERS="+15005550006=123456,…"`, … : see `OTPKIT_VERIFY_ENV`), for
 * `createVerifier({ dispatcher, ...verifierOptionsFromEnv() })`. Empty variables count as unset. Throws
 * `OtpError` `INVALID_CONFIG` naming each variable that is wrong (`OTPKIT_VERIFY_TTL_MS: expected an
 * integer from 1000 to 86400000`); never with a value, so never with the secret. A missing secret is
 * reported too.
 */
export function verifierOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): VerifierEnvOptions {
  const issues: OtpIssue[] = [];
  const settings: Record<string, unknown> = {};
  const variableOf = new Map<string, string>();
  for (const [name, option] of Object.entries(OTPKIT_VERIFY_ENV)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    variableOf.set(option, name);
    if (NUMERIC.has(option)) {
      if (!/^\d+$/.test(raw)) issues.push({ path: name, message: 'expected a whole number' });
      else setOptionPath(settings, option, Number(raw));
    } else if (option === 'allowedPrefixes' || option === 'blockedPrefixes') {
      settings[option] = list(raw);
    } else if (option === 'testNumbers') {
      const numbers: Record<string, string> = {};
      for (const pair of list(raw)) {
        const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(pair);
        if (match) numbers[match[1]!] = match[2]!;
        else
          issues.push({
            path: name,
            message: 'expected numbers with their codes, like "+15005550006=123456,…"',
          });
      }
      settings.testNumbers = numbers;
    } else if (option === 'testNumbersValidUntil') {
      const date = new Date(raw);
      if (!ISO_DATE.test(raw) || Number.isNaN(date.getTime())) {
        issues.push({
          path: name,
          message: 'expected an ISO date, like "2026-06-30" or "2026-06-30T12:00:00Z"',
        });
      } else settings.testNumbersValidUntil = date;
    } else {
      setOptionPath(settings, option, raw);
    }
  }
  if (settings.secret === undefined) {
    issues.push({
      path: 'OTPKIT_VERIFY_SECRET',
      message: 'required: at least 32 bytes (e.g. openssl rand -base64 32)',
    });
  }
  // A window given in part gets the rest from the default.
  for (const name of ['maxSends', 'maxSendsPerKey'] as const) {
    if (settings[name] !== undefined)
      settings[name] = { ...DEFAULT_WINDOWS[name], ...(settings[name] as object) };
  }
  if (issues.length === 0) {
    const result = v.safeParse(VerifierSettingsSchema, settings);
    if (!result.success) {
      for (const issue of toOtpIssues(result.issues)) {
        const variable = variableOf.get(issue.path) ?? variableFor(issue.path, variableOf);
        issues.push({ path: variable, message: issue.message });
      }
    }
  }
  const numbers = settings.testNumbers as Record<string, string> | undefined;
  if (issues.length === 0 && numbers !== undefined && Object.keys(numbers).length > 0) {
    if (settings.testNumbersValidUntil === undefined) {
      issues.push({
        path: 'OTPKIT_TEST_NUMBERS_VALID_UNTIL',
        message:
          'required with OTPKIT_TEST_NUMBERS, so that a forgotten test number does not stay a back door',
      });
    }
    const length = (settings.codeLength as number | undefined) ?? 6;
    if (Object.values(numbers).some((code) => code.length !== length)) {
      issues.push({
        path: 'OTPKIT_TEST_NUMBERS',
        message: `expected codes of ${length} digits (the code length)`,
      });
    }
  }
  if (issues.length > 0) {
    throw new OtpError('INVALID_CONFIG', `Invalid otpkit verify environment: ${describeIssues(issues)}`, {
      issues,
    });
  }
  return settings as VerifierEnvOptions;
}

/** The variable behind a nested path (`testNumbers.+1500…` → `OTPKIT_TEST_NUMBERS`). */
function variableFor(path: string, variableOf: ReadonlyMap<string, string>): string {
  for (const [option, variable] of variableOf) {
    if (path.startsWith(`${option}.`) || option.startsWith(`${path}.`)) return variable;
  }
  return path;
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
