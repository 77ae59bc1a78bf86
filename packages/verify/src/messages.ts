import { OtpError, type OtpIssue } from '@otpkit/core';

/** A text with its India DLT template id (the id registered for that text with the operators). */
export interface MessageTemplate {
  /** The text, with `{code}` and optionally `{minutes}` and `{app}`. */
  text: string;
  /** The DLT template id sent with this text (`OtpMessage.templateId`). Default: the provider's own. */
  templateId?: string;
}

/** What a message function gets. */
export interface MessageContext {
  /** The code to put in the text. */
  code: string;
  /** Minutes the code is valid (`ttlMs`, rounded up). */
  minutes: number;
  /** The locale asked for in `start()`, or the default locale. */
  locale: string;
  /** `appName`, when given. */
  app: string | undefined;
}

/** Builds the text of one start; it must contain the code. */
export type MessageFunction = (context: MessageContext) => string | MessageTemplate;

/** Texts by locale (`en`, `pt`, `pt-BR`, ...), or a function. */
export type VerifierMessages = Readonly<Record<string, string | MessageTemplate>> | MessageFunction;

/** The default texts: with `appName`, the app's name leads. */
export const DEFAULT_MESSAGES = Object.freeze({
  plain: 'Your verification code is {code}. It expires in {minutes} minutes.',
  withApp: 'Your {app} verification code is {code}. It expires in {minutes} minutes.',
});

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(['code', 'minutes', 'app']);

/** What the text of a start is made of, once the options are valid. */
export interface MessageSettings {
  messages: VerifierMessages | undefined;
  defaultLocale: string;
  appName: string | undefined;
  ttlMs: number;
  webOtp: { domain: string } | undefined;
  appHash: string | undefined;
}

/** Problems with the texts: a missing `{code}`, an unknown placeholder, `{app}` without `appName`. */
export function messageIssues(settings: Omit<MessageSettings, 'ttlMs' | 'webOtp' | 'appHash'>): OtpIssue[] {
  const { messages, defaultLocale, appName } = settings;
  if (messages === undefined || typeof messages === 'function') return [];
  const issues: OtpIssue[] = [];
  const locales = Object.keys(messages);
  if (!locales.some((locale) => locale.toLowerCase() === defaultLocale.toLowerCase())) {
    issues.push({
      path: 'messages',
      message: `expected a text for the default locale "${defaultLocale}" (given: ${locales.join(', ') || 'none'})`,
    });
  }
  for (const locale of locales) {
    const entry = messages[locale];
    const path = `messages.${locale}`;
    const text = typeof entry === 'string' ? entry : entry?.text;
    if (typeof text !== 'string' || text.trim() === '') {
      issues.push({ path, message: 'expected a text, or { text, templateId? }' });
      continue;
    }
    if (!text.includes('{code}'))
      issues.push({ path, message: 'expected the placeholder {code} in the text' });
    for (const [, name] of text.matchAll(PLACEHOLDER)) {
      if (!KNOWN.has(name!)) {
        issues.push({ path, message: `unknown placeholder {${name}} (known: {code}, {minutes}, {app})` });
      } else if (name === 'app' && appName === undefined) {
        issues.push({ path, message: 'uses {app}, but appName is not set' });
      }
    }
    if (typeof entry === 'object' && entry.templateId !== undefined && typeof entry.templateId !== 'string') {
      issues.push({ path: `${path}.templateId`, message: 'expected a string' });
    }
  }
  return issues;
}

/** The locales tried for `locale`, most specific first: `pt-BR` → `pt-BR`, `pt`. */
function fallbacks(locale: string): string[] {
  const parts = locale.toLowerCase().split('-');
  return parts.map((_, index) => parts.slice(0, parts.length - index).join('-'));
}

/** Builds the text and template id of one start from the code and the locale asked for. */
export type MessageComposer = (
  code: string,
  locale: string | undefined,
) => { body: string; templateId?: string };

/**
 * Compiles valid message settings into a composer: the locale's template (falling back `pt-BR` → `pt`
 * → the default locale) or the function's result, with the WebOTP or app-hash line last. The composer
 * throws `OtpError` `INVALID_CONFIG` when a message function throws or leaves out the code, never with
 * the text.
 */
export function createMessageComposer(settings: MessageSettings): MessageComposer {
  const { messages, defaultLocale, appName, ttlMs, webOtp, appHash } = settings;
  const minutes = Math.ceil(ttlMs / 60_000);
  const finish = (text: string, code: string, templateId: string | undefined) => {
    let body = text;
    if (webOtp !== undefined) body = `${text}\n\n@${webOtp.domain} #${code}`;
    else if (appHash !== undefined) body = `${text}\n\n${appHash}`;
    return templateId === undefined ? { body } : { body, templateId };
  };

  if (typeof messages === 'function') {
    return (code, locale) => {
      let made: string | MessageTemplate;
      try {
        made = messages({ code, minutes, locale: locale ?? defaultLocale, app: appName });
      } catch (error) {
        const kind = error instanceof Error ? error.name : typeof error;
        throw new OtpError('INVALID_CONFIG', `messages: the message function threw (${kind})`);
      }
      const text = typeof made === 'string' ? made : (made as MessageTemplate | null | undefined)?.text;
      const templateId = typeof made === 'object' && made !== null ? made.templateId : undefined;
      if (typeof text !== 'string' || !text.includes(code)) {
        throw new OtpError(
          'INVALID_CONFIG',
          'messages: the message function returned a text without the code',
        );
      }
      if (templateId !== undefined && typeof templateId !== 'string') {
        throw new OtpError(
          'INVALID_CONFIG',
          'messages: the message function returned a templateId that is not a string',
        );
      }
      return finish(text, code, templateId);
    };
  }

  const table = new Map<string, { parts: string[]; templateId: string | undefined }>();
  const source = messages ?? {
    [defaultLocale]: appName === undefined ? DEFAULT_MESSAGES.plain : DEFAULT_MESSAGES.withApp,
  };
  for (const [locale, entry] of Object.entries(source)) {
    const text = typeof entry === 'string' ? entry : entry.text;
    // Split once around {code}: the fixed parts are filled now, the code joins them per start.
    const filled = text.replace(PLACEHOLDER, (whole, name: string) =>
      name === 'minutes' ? String(minutes) : name === 'app' ? (appName ?? whole) : whole,
    );
    table.set(locale.toLowerCase(), {
      parts: filled.split('{code}'),
      templateId: typeof entry === 'string' ? undefined : entry.templateId,
    });
  }
  const fallback = table.get(defaultLocale.toLowerCase())!;
  const resolved = new Map<string, { parts: string[]; templateId: string | undefined }>();
  const find = (locale: string | undefined) => {
    if (locale === undefined) return fallback;
    let found = resolved.get(locale);
    if (found === undefined) {
      found = fallback;
      for (const candidate of fallbacks(locale)) {
        const entry = table.get(candidate);
        if (entry !== undefined) {
          found = entry;
          break;
        }
      }
      // Remembered for the locales seen, up to a bound (locales come from users).
      if (resolved.size < 1000) resolved.set(locale, found);
    }
    return found;
  };
  return (code, locale) => {
    const { parts, templateId } = find(locale);
    return finish(parts.join(code), code, templateId);
  };
}
