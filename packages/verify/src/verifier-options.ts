import { type Dispatcher, describeIssues, OtpError, type OtpIssue, toOtpIssues } from '@otpkit/core';
import * as v from 'valibot';
import { messageIssues, type VerifierMessages } from './messages.js';
import type { SendWindow, VerificationStore } from './store.js';
import { VerifierOptionsSchema } from './verifier-schema.js';

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
   * bytes (e.g. `openssl rand -base64 32`). Never logged, never echoed in an error. `undefined` (an
   * unset `process.env.OTPKIT_VERIFY_SECRET`) is refused with `INVALID_CONFIG` saying so.
   */
  secret: string | Uint8Array | undefined;
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
  /**
   * On an `undelivered` receipt (`verifier.report()`, or the webhook handler given this verifier) for
   * the latest send of a pending verification, send a new code once through the next provider. The
   * resend counts in `maxSends` and the prefix windows like any start; a verification gets at most one.
   * @default true
   */
  resendOnUndelivered?: boolean;
  /**
   * Also resend once, through the next provider, when no `delivered` receipt came this long after a
   * send, in ms (1 s to 24 h): for vendors whose receipts are reliable. Needs receipts reported to this
   * verifier; a timer in this process, which never keeps it alive. @default off
   */
  resendIfNotDeliveredWithinMs?: number;
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
  resendOnUndelivered: boolean;
  resendIfNotDeliveredWithinMs: number | undefined;
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

/** Validates verifier options and fills in defaults. Throws `OtpError` `INVALID_CONFIG` naming every bad field. */
export function resolveVerifierOptions(input: VerifierOptions): ResolvedVerifierOptions {
  const result = v.safeParse(VerifierOptionsSchema, input);
  const issues: OtpIssue[] = result.success ? [] : toOtpIssues(result.issues);
  // A misspelt option (`maxAttempt`) must not silently leave a limit at its default.
  if (typeof input === 'object' && input !== null) {
    for (const key of Object.keys(input)) {
      if (!(key in VerifierOptionsSchema.entries)) issues.push({ path: key, message: 'unknown option' });
    }
  }
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
    secret: options.secret!,
    store: options.store,
    codeLength,
    ttlMs: options.ttlMs ?? VERIFIER_DEFAULTS.ttlMs,
    maxAttempts: options.maxAttempts ?? VERIFIER_DEFAULTS.maxAttempts,
    resendAfterMs: options.resendAfterMs ?? VERIFIER_DEFAULTS.resendAfterMs,
    maxSends: options.maxSends ?? VERIFIER_DEFAULTS.maxSends,
    maxSendsPerKey: options.maxSendsPerKey ?? VERIFIER_DEFAULTS.maxSendsPerKey,
    // Most specific first: a narrow window that refuses leaves the wider ones uncounted.
    prefixLimits: [...(options.prefixLimits ?? [])].sort((a, b) => b.prefix.length - a.prefix.length),
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
    resendOnUndelivered: options.resendOnUndelivered ?? true,
    resendIfNotDeliveredWithinMs: options.resendIfNotDeliveredWithinMs,
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
