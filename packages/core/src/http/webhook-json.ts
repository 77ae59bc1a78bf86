import { OtpError } from '../errors.js';

/**
 * A webhook's JSON body as an object, for vendors whose callbacks nest what `webhookFields` flattens
 * away (a list of reports, a `data.payload`): a parsed body as it is, or its raw text (a string, or
 * bytes such as a `Buffer`) parsed. Anything else (a form, a `Map`), unreadable JSON, or JSON that is
 * not an object (an array, a number) is `OtpError` `INVALID_INPUT` "`provider`: expected `what`".
 */
export function webhookJson(payload: unknown, provider: string, what: string): Record<string, unknown> {
  let body = payload;
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw new OtpError('INVALID_INPUT', `${provider}: expected ${what}, got unreadable JSON`, { provider });
    }
  }
  const prototype: unknown =
    typeof body === 'object' && body !== null ? Object.getPrototypeOf(body) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new OtpError('INVALID_INPUT', `${provider}: expected ${what}`, { provider });
  }
  return body as Record<string, unknown>;
}
