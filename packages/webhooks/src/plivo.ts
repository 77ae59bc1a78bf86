/**
 * Plivo's message status callbacks, for `createWebhookHandler`: `@otpkit/webhooks/plivo`. Plivo signs
 * each callback with the account's Auth Token (`X-Plivo-Signature-V2`: HMAC-SHA256 over the URL it
 * called, without the query, and a nonce; `X-Plivo-Signature-V3`: over the URL, its query, the fields
 * and a nonce); the adapter checks either with `verifyPlivoSignature`.
 */
import { parsePlivoDeliveryReport, verifyPlivoSignature } from '@otpkit/provider-plivo';
import { payloadOf } from './payload.js';
import { checkPublicUrl, checkSecret } from './token.js';
import type { WebhookProvider, WebhookRequest } from './webhook-provider.js';

export interface PlivoWebhookOptions {
  /** The account's Auth Token (the Basic auth password of sends): Plivo's signing key. Required. */
  authToken: string;
  /**
   * The URL of the Plivo route exactly as Plivo calls it (the message's `url`), without its query:
   * e.g. `https://app.example.com/otpkit/plivo`. Behind a proxy the request's own URL is not what
   * Plivo signed, so the handler uses this, with the query the request came with. Required.
   */
  publicUrl: string;
}

/** Plivo's webhook adapter, with the status-callback URL to send. */
export interface PlivoWebhook extends WebhookProvider {
  readonly id: 'plivo';
  /** `publicUrl`: give it as each message's `url` (`withCallbackUrl`, or the provider's `callbackUrl`). */
  readonly callbackUrl: string;
}

/**
 * The Plivo route: POST (form) or GET (query) callbacks whose V3 or V2 signature is valid for
 * `publicUrl` (with the request's query), read by `parsePlivoDeliveryReport`. V2, what Plivo documents
 * for messaging, covers the URL and nonce, not the fields. Throws `OtpError` `INVALID_CONFIG` naming a
 * wrong option (never its value).
 */
export function plivoWebhook(options: PlivoWebhookOptions): PlivoWebhook {
  const authToken = checkSecret(options?.authToken, 'authToken', 'your Plivo Auth Token');
  const publicUrl = checkPublicUrl(options?.publicUrl, 'publicUrl');
  publicUrl.search = '';
  const base = publicUrl.toString();
  const signed = (request: WebhookRequest) => ({
    method: request.method,
    url: base + request.url.search,
    // A GET's fields are in the URL's query; a POST's in the form body.
    params: new URLSearchParams(request.method === 'POST' ? request.body : ''),
    headers: request.headers,
  });
  return {
    id: 'plivo',
    methods: ['GET', 'POST'],
    callbackUrl: base,
    authenticate: (request) => verifyPlivoSignature(signed(request), { authToken }),
    parse: (request) => parsePlivoDeliveryReport(payloadOf(request, 'plivo')),
  };
}
