import { createHmac } from 'node:crypto';
import {
  checkSafely,
  defaultPortVariants,
  requireSigningKey,
  type SignedFormFields,
  safeEqual,
  sortedFormFields,
  type WebhookHeaders,
  webhookHeader,
} from '@otpkit/core/http';

/** A callback request as the app received it, for `verifyPlivoSignature`. */
export interface PlivoSignedRequest {
  /** The request's method: `POST` (fields in the form body) or `GET` (fields in the query). */
  method: string;
  /** The full URL Plivo called, as given in `url` (scheme, host, path and query). */
  url: string;
  /** A POST's form fields (`URLSearchParams` or the parsed form); none for a GET. */
  params?: SignedFormFields;
  /** The request's headers: `X-Plivo-Signature-V3` and `-V3-Nonce`, or `X-Plivo-Signature-V2` and `-V2-Nonce`. */
  headers: WebhookHeaders;
}

const PROVIDER = 'plivo';
const hmac = (key: string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('base64');
const parts = (url: string) => /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);

/**
 * Plivo's V2 signature (`X-Plivo-Signature-V2`, messaging callbacks): base64 HMAC-SHA256, keyed with
 * the Auth Token, of the URL without its query followed by the nonce.
 */
export function signPlivoV2(url: string, nonce: string, authToken: string): string {
  const [, origin = '', path = ''] = parts(url) ?? [];
  return hmac(authToken, `${origin}${path}${nonce}`);
}

/**
 * Plivo's V3 signature (`X-Plivo-Signature-V3`): base64 HMAC-SHA256, keyed with the Auth Token, of the
 * URL rebuilt with its query and the fields sorted, then `.` and the nonce. A GET's fields join the
 * query as `k=v&…`; a POST's follow it as `kv…` (after `?`, and after `.` when the URL has a query).
 */
export function signPlivoV3(
  request: Omit<PlivoSignedRequest, 'headers'> & { nonce: string },
  authToken: string,
): string {
  const [, origin = '', path = '', search = ''] = parts(request.url) ?? [];
  const fields = sortedFormFields(request.params);
  if (fields === undefined) throw new TypeError('plivo: params are not form fields');
  const query = new URLSearchParams(search);
  const post = request.method.toUpperCase() === 'POST';
  if (!post) for (const [name, values] of fields) for (const value of values) query.append(name, value);
  const join = (separator: string, list: [string, string[]][]) =>
    list.flatMap(([name, values]) => values.map((value) => `${name}${separator}${value}`));
  const sortedQuery = join('=', sortedFormFields(query) ?? []).join('&');
  let base = `${origin}${path}`;
  if (!post || fields.length === 0) base += sortedQuery ? `?${sortedQuery}` : '';
  else base += `?${sortedQuery}${sortedQuery ? '.' : ''}${join('', fields).join('')}`;
  return hmac(authToken, `${base}.${request.nonce}`);
}

/**
 * Checks a Plivo callback's signature, V3 or V2, whichever the request carries (either passing is
 * enough); a header may hold several signatures, comma-separated, any one of which may match. The URL
 * is tried as given and with its default port added or removed. `false` for a missing or wrong
 * signature, or a request that cannot be read; `INVALID_CONFIG` without an Auth Token.
 */
export function verifyPlivoSignature(
  request: PlivoSignedRequest,
  { authToken }: { authToken: string },
): boolean {
  const key = requireSigningKey(PROVIDER, 'authToken', authToken, 'the Plivo Auth Token');
  return checkSafely(() => {
    const header = (name: string) => webhookHeader(request.headers, name);
    const matches = (expected: string, ...names: string[]) =>
      names.some((name) =>
        (header(name) ?? '').split(',').some((given) => safeEqual(given.trim(), expected)),
      );
    const v3Nonce = header('x-plivo-signature-v3-nonce');
    const v2Nonce = header('x-plivo-signature-v2-nonce');
    return defaultPortVariants(request.url).some(
      (url) =>
        (v3Nonce !== undefined &&
          matches(
            signPlivoV3({ ...request, url, nonce: v3Nonce }, key),
            'x-plivo-signature-v3',
            'x-plivo-signature-ma-v3',
          )) ||
        (v2Nonce !== undefined &&
          matches(signPlivoV2(url, v2Nonce, key), 'x-plivo-signature-v2', 'x-plivo-signature-ma-v2')),
    );
  });
}
