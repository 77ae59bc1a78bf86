import { OtpError } from '../errors.js';

/**
 * The fields of a webhook payload (a delivery report): a parsed JSON body or query object,
 * `URLSearchParams` or a `Map`, or a form or query string (with `json`, a string that starts with `{`
 * is read as JSON). Values are trimmed text; numbers become text, an array gives its first value; blank
 * and other values are left out; a repeated field keeps its first non-blank value. With `verbatim` (the
 * fields a signature covers), values are kept as sent, blank ones too, and booleans become text.
 * Anything else is `OtpError` `INVALID_INPUT` "`provider`: expected `what`".
 */
export function webhookFields(
  payload: unknown,
  provider: string,
  what: string,
  { json = false, verbatim = false }: { json?: boolean; verbatim?: boolean } = {},
): Map<string, string> {
  const fields = new Map<string, string>();
  const put = (key: unknown, value: unknown) => {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof key !== 'string' || fields.has(key)) return;
    if (typeof first === 'string') {
      const text = verbatim ? first : first.trim();
      if (verbatim || text !== '') fields.set(key, text);
    } else if (
      (typeof first === 'number' && Number.isFinite(first)) ||
      (verbatim && typeof first === 'boolean')
    ) {
      fields.set(key, String(first));
    }
  };
  if (typeof payload === 'string') {
    payload = json ? fromText(payload, provider, what) : new URLSearchParams(payload);
  }
  if (payload instanceof URLSearchParams || payload instanceof Map) {
    for (const [key, value] of payload as Iterable<[unknown, unknown]>) put(key, value);
    return fields;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new OtpError('INVALID_INPUT', `${provider}: expected ${what}`, { provider });
  }
  for (const key of Object.keys(payload)) put(key, (payload as Record<string, unknown>)[key]);
  return fields;
}

function fromText(text: string, provider: string, what: string): unknown {
  if (!text.trimStart().startsWith('{')) return new URLSearchParams(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OtpError('INVALID_INPUT', `${provider}: expected ${what}, got unreadable JSON`, {
      provider,
    });
  }
}
