import { OtpError } from '../errors.js';

/**
 * The fields of a webhook payload (a delivery report): a parsed JSON body or query object,
 * `URLSearchParams`, or a form or query string (with `json`, a string that starts with `{` is read as
 * JSON). Values are trimmed text; numbers become text, an array gives its first value; blank and other
 * values are left out; a repeated field keeps its first non-blank value. Anything else is `OtpError`
 * `INVALID_INPUT` "`provider`: expected `what`".
 */
export function webhookFields(
  payload: unknown,
  provider: string,
  what: string,
  { json = false }: { json?: boolean } = {},
): Map<string, string> {
  const fields = new Map<string, string>();
  const put = (key: string, value: unknown) => {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    const text =
      typeof first === 'string'
        ? first.trim()
        : typeof first === 'number' && Number.isFinite(first)
          ? String(first)
          : '';
    if (text !== '' && !fields.has(key)) fields.set(key, text);
  };
  if (typeof payload === 'string')
    payload = json ? fromText(payload, provider, what) : new URLSearchParams(payload);
  if (payload instanceof URLSearchParams) {
    for (const [key, value] of payload) put(key, value);
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
