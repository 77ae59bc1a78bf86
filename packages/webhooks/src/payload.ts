import { OtpError } from '@otpkit/core';
import { TOKEN_PARAM } from './token.js';
import type { WebhookRequest } from './webhook-provider.js';

/** Whether the body is JSON: by its content type, or a body that starts with `{`. */
export function isJson(request: WebhookRequest): boolean {
  const type = request.headers.get('content-type') ?? '';
  return /[/+]json\b/i.test(type) || request.body.trimStart().startsWith('{');
}

/**
 * The fields of a callback, whatever way the vendor sent them: the query of a GET (without
 * `otpkit_token`), a JSON body (parsed), or a form body. Unreadable JSON is `OtpError` `INVALID_INPUT`,
 * naming the provider and nothing of the body.
 */
export function payloadOf(request: WebhookRequest, provider: string): URLSearchParams | unknown {
  if (request.method === 'GET') {
    const query = new URLSearchParams(request.url.search);
    query.delete(TOKEN_PARAM);
    return query;
  }
  if (isJson(request)) {
    try {
      return JSON.parse(request.body) as unknown;
    } catch {
      throw new OtpError(
        'INVALID_INPUT',
        `${provider}: expected a JSON delivery report, got unreadable JSON`,
        {
          provider,
        },
      );
    }
  }
  return new URLSearchParams(request.body);
}
