import { type Dispatcher, describeIssues, OtpError, type OtpIssue, toOtpIssues } from '@otpkit/core';
import * as v from 'valibot';
import { secretLength } from './hmac.js';
import { messageIssues, type VerifierMessages } from './messages.js';
import type { SendWindow, VerificationStore } from './store.js';

/** A send window on the numbers that start with `prefix`. */
export interface PrefixLimit extends SendWindow {
  /** `+` and 1 to 14 digits: `"+44"`, `"+4479"`. */
  prefix: string;
}

/** The conversion guard against SMS pumping (see `VerifierOptions.pumpingGuard`). */
export interface PumpingGuardOptions {
  /** Digits after `+` that make a destination prefix (`4`: `+4479…`). @default 4 */
  prefixLength?: number;
  /** The window sends and approvals are counted over, in ms. @default 3600000 (1 hour) */
  windowMs?: number;
  /** Sends to a prefix in the window before its conversion is judged. @default 20 */
  minSends?: number;
  /** Share of sends approved below which a prefix is held (0 to 1). @default 0.1 */
  minConversion?: number;
}

/** Options of `createVerifier`. */
export interface VerifierOptions {
  /** The dispatcher that sends the codes: from `createDispatcher`, `createOtpKit` or a tsyringe container. */
  dispatcher: Dispatcher;
  /**
   * Key of the HMAC-SHA256 codes are stored under, with the number: a string or bytes, at least 32
   * bytes (e.g. `openssl rand -base64 32`). Never logged, never echoed in an error.
   */
  secret: string | Uint8Array;
  /** Where verifications and limits are kept. @default createMemoryStore() (one process) */
  store?: VerificationStore;
  /** Digits in a code, 4 to 10. @default 6 */
  codeLength?: number;
  /** How long a code is valid, in ms (1 s to 24 h). @default 600000 (10 minutes, as Twilio Verify) */
  ttlMs?: number;
  /** Wrong codes a verification takes (1 to 100) before the number is locked for `ttlMs`. @default 5 */
  maxAttempts?: number;
  /** Time after a send before a resend of the same verification, in ms. @default 30000 */
  resendAfterMs?: number;
  /** Sends per number in a window. @default { count: 5, windowMs: 600000 } (as Twilio Verify) */
  maxSends?: SendWindow;
  /** Sends per app-given `key` (an IP, a user id) in a window. @default { count: 10, windowMs: 600000 } */
  maxSendsPerKey?: SendWindow;
  /** Send windows per destination prefix, e.g. `[{ prefix: '+44', count: 100, windowMs: 3600000 }]`. @default [] */
  prefixLimits?: readonly PrefixLimit[];
  /** Only numbers starting with one of these get codes (`['+91', '+1']`); others are `REJECTED`. @default every number */
  allowedPrefixes?: readonly string[];
  /** Numbers starting with one of these are `REJECTED`. @default [] */
  blockedPrefixes?: readonly string[];
  /**
   * Hold a destination prefix whose share of approved verifications falls below `minConversion` over at
   * least `minSends` sends in the window: its starts are `REJECTED` (reason `pumping`) until the window
   * passes. `true` for the defaults. @default off
   */
  pumpingGuard?: boolean | PumpingGuardOptions;
  /**
   * Texts by locale, with `{code}` (required), `{minutes}` and `{app}`; an entry may be
   * `{ text, templateId }` (India DLT). Or a function `({ code, minutes, locale, app }) => text`.
   * @default { en: 'Your verification code is {code}. It expires in {minutes} minutes.' } (with `appName`: 'Your {app} verification code is …')
   */
  messages?: VerifierMessages;
  /** The locale used when `start()` names none or one without a text. @default 'en' */
  defaultLocale?: string;
  /** The app's name, for `{app}`. @default none */
  appName?: string;
  /** WebOTP: appends `@<domain> #<code>` as the last line, so browsers and phones fill the code in. @default none */
  webOtp?: { domain: string };
  /** Android SMS Retriever: the app's 11-character hash, appended as the last line. @default none */
  appHash?: string;
  /** Sender id of the SMS. @default the provider's */
  sender?: string;
  /**
   * Numbers that get no SMS and accept a fixed code, e.g. for app-store reviewers:
   * `{ '+15005550006': '123456' }`. Needs `testNumbersValidUntil`. @default {}
   */
  testNumbers?: Readonly<Record<string, string>>;
  /** After this, test numbers are ordinary numbers again. Required with `testNumbers`. @default none */
  testNumbersValidUntil?: Date;
  /** The clock, epoch ms. @default Date.now */
  now?: () => number;
  /** Called when an event listener throws. @default a process warning naming the event */
  onListenerError?: (error: unknown, event: string) => void;
}

/** Options with every default filled in. */
export interface ResolvedVerifierOptions {
  dispatcher: Dispatcher;
  secret: string | Uint8Array;
  store: VerificationStore | undefined;
  codeLength: number;
  ttlMs: number;
  maxAttempts: number;
  resendAfterMs: number;
  maxSends: SendWindow;
  maxSendsPerKey: SendWindow;
  prefixLimits: readonly PrefixLimit[];
  allowedPrefixes: readonly string[] | undefined;
  blockedPrefixes: readonly string[];
  pumpingGuard: Required<PumpingGuardOptions> | undefined;
  messages: VerifierMessages | undefined;
  defaultLocale: string;
  appName: string | undefined;
  webOtp: { domain: string } | undefined;
  appHash: string | undefined;
  sender: string | undefined;
  testNumbers: ReadonlyMap<string, string>;
  testNumbersValidUntil: number;
  now: () => number;
  onListenerError: (error: unknown, event: string) => void;
}

export const VERIFIER_DEFAULTS = Object.freeze({
  codeLength: 6,
  ttlMs: 600_000,
  maxAttempts: 5,
  resendAfterMs: 30_000,
  maxSends: Object.freeze({ count: 5, windowMs: 600_000 }),
  maxSendsPerKey: Object.freeze({ count: 10, windowMs: 600_000 }),
  pumpingGuard: Object.freeze({ prefixLength: 4, windowMs: 3_600_000, minSends: 20, minConversion: 0.1 }),
  defaultLocale: 'en',
});

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
const STORE_METHODS = ['begin', 'settle', 'check', 'cancel', 'hit', 'tally'] as const;

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

const OptionsSchema = v.object(
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
    now: fn('now'),
    onListenerError: fn('onListenerError'),
  },
  'options: expected an object with at least dispatcher and secret',
);

/** Validates verifier options and fills in defaults. Throws `OtpError` `INVALID_CONFIG` naming every bad field. */
export function resolveVerifierOptions(input: VerifierOptions): ResolvedVerifierOptions {
  const result = v.safeParse(OptionsSchema, input);
  const issues: OtpIssue[] = result.success ? [] : toOtpIssues(result.issues);
  const options = (result.success ? result.output : input) as VerifierOptions;
  const codeLength = result.success ? (options.codeLength ?? VERIFIER_DEFAULTS.codeLength) : 0;
  const testNumbers = new Map(Object.entries(result.success ? (options.testNumbers ?? {}) : {}));
  if (result.success) {
    if (options.webOtp !== undefined && options.appHash !== undefined) {
      issues.push({
        path: 'appHash',
        message: 'cannot be set with webOtp: each must be the last line of the text',
      });
    }
    for (const [number, code] of testNumbers) {
      if (code.length !== codeLength) {
        issues.push({
          path: `testNumbers.${number}`,
          message: `expected a code of ${codeLength} digits (codeLength)`,
        });
      }
    }
    if (testNumbers.size > 0 && options.testNumbersValidUntil === undefined) {
      issues.push({
        path: 'testNumbersValidUntil',
        message: 'required with testNumbers, so that a forgotten test number does not stay a back door',
      });
    }
    issues.push(
      ...messageIssues({
        messages: options.messages,
        defaultLocale: options.defaultLocale ?? VERIFIER_DEFAULTS.defaultLocale,
        appName: options.appName,
      }),
    );
  }
  if (issues.length > 0) {
    throw new OtpError('INVALID_CONFIG', `Invalid verifier options: ${describeIssues(issues)}`, { issues });
  }
  const guard = options.pumpingGuard;
  return {
    dispatcher: options.dispatcher,
    secret: options.secret,
    store: options.store,
    codeLength,
    ttlMs: options.ttlMs ?? VERIFIER_DEFAULTS.ttlMs,
    maxAttempts: options.maxAttempts ?? VERIFIER_DEFAULTS.maxAttempts,
    resendAfterMs: options.resendAfterMs ?? VERIFIER_DEFAULTS.resendAfterMs,
    maxSends: options.maxSends ?? VERIFIER_DEFAULTS.maxSends,
    maxSendsPerKey: options.maxSendsPerKey ?? VERIFIER_DEFAULTS.maxSendsPerKey,
    prefixLimits: options.prefixLimits ?? [],
    allowedPrefixes: options.allowedPrefixes,
    blockedPrefixes: options.blockedPrefixes ?? [],
    pumpingGuard:
      guard === undefined || guard === false
        ? undefined
        : { ...VERIFIER_DEFAULTS.pumpingGuard, ...(guard === true ? {} : withoutUndefined(guard)) },
    messages: options.messages,
    defaultLocale: options.defaultLocale ?? VERIFIER_DEFAULTS.defaultLocale,
    appName: options.appName,
    webOtp: options.webOtp,
    appHash: options.appHash,
    sender: options.sender,
    testNumbers,
    testNumbersValidUntil: options.testNumbersValidUntil?.getTime() ?? Number.NEGATIVE_INFINITY,
    now: options.now ?? Date.now,
    onListenerError: options.onListenerError ?? warnListenerError,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

function warnListenerError(error: unknown, event: string): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.emitWarning(
    `otpkit: a verifier "${event}" listener threw (${detail}); the verifier went on`,
    'OtpkitListenerWarning',
  );
}
