import type { Dispatcher } from '@otpkit/core';
import * as v from 'valibot';
import { secretLength } from './hmac.js';
import type { VerifierMessages } from './messages.js';
import type { VerificationStore } from './store.js';

const MAX_MS = 2_147_483_647;
const E164 = /^\+[1-9]\d{6,14}$/;
const PREFIX = /^\+\d{1,14}$/;
/** A language tag: `en`, `pt-BR`, `zh-Hant-TW`. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const APP_HASH = /^[A-Za-z0-9+/]{11}$/;

const int = (path: string, min: number, max: number) => {
  const what = `${path}: expected an integer from ${min} to ${max}`;
  return v.optional(v.pipe(v.number(what), v.integer(what), v.minValue(min, what), v.maxValue(max, what)));
};
const window = (path: string) =>
  v.optional(
    v.object(
      {
        count: v.nonOptional(int(`${path}.count`, 1, 1_000_000), `${path}.count: required`),
        windowMs: v.nonOptional(int(`${path}.windowMs`, 1_000, MAX_MS), `${path}.windowMs: required`),
      },
      `${path}: expected { count, windowMs }`,
    ),
  );
const prefixList = (path: string) =>
  v.optional(
    v.array(
      v.pipe(
        v.string(`${path}: expected "+" and 1 to 14 digits`),
        v.regex(PREFIX, `${path}: expected "+" and 1 to 14 digits`),
      ),
      `${path}: expected a list of prefixes like "+91"`,
    ),
  );
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const PLAIN_TEXT = /^[^\u0000-\u001f\u007f-\u009f{}]+$/;
const text = (path: string, max: number) => {
  const what = `${path}: expected 1 to ${max} characters, no control characters or braces`;
  return v.optional(v.pipe(v.string(what), v.regex(PLAIN_TEXT, what), v.maxLength(max, what)));
};
const fn = (path: string) => v.optional(v.function(`${path}: expected a function`));
const STORE_METHODS = ['begin', 'settle', 'deliver', 'check', 'cancel', 'hit', 'tally'] as const;

/** The settings that configuration can give (`verifierOptionsFromEnv`): all but objects and functions. */
export const VerifierSettingsSchema = v.object({
  secret: v.custom<string | Uint8Array>(
    (value) => (typeof value === 'string' || value instanceof Uint8Array) && secretLength(value) >= 32,
    'secret: expected a string or bytes of at least 32 bytes (e.g. openssl rand -base64 32)',
  ),
  codeLength: int('codeLength', 4, 10),
  ttlMs: int('ttlMs', 1_000, 86_400_000),
  maxAttempts: int('maxAttempts', 1, 100),
  resendAfterMs: int('resendAfterMs', 0, 86_400_000),
  maxSends: window('maxSends'),
  maxSendsPerKey: window('maxSendsPerKey'),
  allowedPrefixes: prefixList('allowedPrefixes'),
  blockedPrefixes: prefixList('blockedPrefixes'),
  defaultLocale: v.optional(
    v.pipe(
      v.string('defaultLocale: expected a language tag like "en"'),
      v.regex(LOCALE_PATTERN, 'defaultLocale: expected a language tag like "en" or "pt-BR"'),
    ),
  ),
  appName: text('appName', 32),
  webOtp: v.optional(
    v.object(
      {
        domain: v.pipe(
          v.string('webOtp.domain: expected a host name like "example.com"'),
          v.regex(
            DOMAIN,
            'webOtp.domain: expected a lower-case host name like "example.com" (no scheme, port or path)',
          ),
        ),
      },
      'webOtp: expected { domain }',
    ),
  ),
  appHash: v.optional(
    v.pipe(
      v.string('appHash: expected the 11-character app hash'),
      v.regex(APP_HASH, "appHash: expected the 11-character app hash of Android's SMS Retriever"),
    ),
  ),
  sender: text('sender', 15),
  testNumbers: v.optional(
    v.record(
      v.pipe(v.string(), v.regex(E164, 'testNumbers: expected numbers in E.164 form as keys')),
      v.pipe(
        v.string('testNumbers: expected a code of digits for each number'),
        v.regex(/^\d{4,10}$/, 'testNumbers: expected a code of 4 to 10 digits for each number'),
      ),
      'testNumbers: expected an object of codes by number',
    ),
  ),
  testNumbersValidUntil: v.optional(
    v.pipe(
      v.date('testNumbersValidUntil: expected a Date'),
      v.check((date) => !Number.isNaN(date.getTime()), 'testNumbersValidUntil: expected a valid Date'),
    ),
  ),
});

/** The valibot schema of the whole `VerifierOptions` (cross-field rules are checked after it). */
export const VerifierOptionsSchema = v.object(
  {
    ...VerifierSettingsSchema.entries,
    dispatcher: v.custom<Dispatcher>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as Dispatcher).send === 'function' &&
        typeof (value as Dispatcher).providersFor === 'function',
      'dispatcher: expected a Dispatcher (createDispatcher, createOtpKit or a tsyringe container)',
    ),
    store: v.optional(
      v.custom<VerificationStore>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          STORE_METHODS.every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
        `store: expected a VerificationStore (an object with ${STORE_METHODS.join(', ')})`,
      ),
    ),
    prefixLimits: v.optional(
      v.array(
        v.object(
          {
            prefix: v.pipe(
              v.string('prefix: expected "+" and 1 to 14 digits'),
              v.regex(PREFIX, 'prefix: expected "+" and 1 to 14 digits'),
            ),
            count: v.nonOptional(int('count', 1, 1_000_000), 'count: required'),
            windowMs: v.nonOptional(int('windowMs', 1_000, MAX_MS), 'windowMs: required'),
          },
          'expected { prefix, count, windowMs }',
        ),
        'prefixLimits: expected a list of { prefix, count, windowMs }',
      ),
    ),
    pumpingGuard: v.optional(
      v.union(
        [
          v.boolean(),
          v.object({
            prefixLength: int('pumpingGuard.prefixLength', 1, 14),
            windowMs: int('pumpingGuard.windowMs', 1_000, MAX_MS),
            minSends: int('pumpingGuard.minSends', 1, 1_000_000),
            minConversion: v.optional(
              v.pipe(
                v.number('pumpingGuard.minConversion: expected a number from 0 to 1'),
                v.minValue(0, 'pumpingGuard.minConversion: expected a number from 0 to 1'),
                v.maxValue(1, 'pumpingGuard.minConversion: expected a number from 0 to 1'),
              ),
            ),
          }),
        ],
        'pumpingGuard: expected true, false or { prefixLength?, windowMs?, minSends?, minConversion? }',
      ),
    ),
    messages: v.optional(
      v.custom<VerifierMessages>(
        (value) =>
          typeof value === 'function' ||
          (typeof value === 'object' && value !== null && !Array.isArray(value)),
        'messages: expected texts by locale ({ en: "Your code is {code}" }) or a function',
      ),
    ),
    resendOnUndelivered: v.optional(v.boolean('resendOnUndelivered: expected true or false')),
    resendIfNotDeliveredWithinMs: int('resendIfNotDeliveredWithinMs', 1_000, 86_400_000),
    now: fn('now'),
    onListenerError: fn('onListenerError'),
  },
  'options: expected an object with at least dispatcher and secret',
);
