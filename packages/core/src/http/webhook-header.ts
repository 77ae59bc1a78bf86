/**
 * A webhook request's headers as apps hold them: a fetch `Headers`, or an object of them (Node's
 * `IncomingHttpHeaders`, Express's `req.headers`), names in any case.
 */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The one value of header `name` (matched without regard to case), for a signature check: `undefined`
 * when it is missing or repeated (an array: which of them was signed?). With a `Headers`, repeated
 * values arrive joined by `, ` and are returned so; the check then fails on its own.
 */
export function webhookHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
  const value: unknown = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : undefined;
}
