/**
 * Kaleyra's delivery callbacks, for `createWebhookHandler`: `@otpkit/webhooks/kaleyra`. Kaleyra signs
 * nothing, so the route is protected by a secret token that otpkit puts in the callback URL it gives
 * Kaleyra and checks, in constant time, on the way back.
 */
import { parseKaleyraDeliveryReport } from '@otpkit/provider-kaleyra';
import { payloadOf } from './payload.js';
import { callbackUrlWithToken, checkPublicUrl, checkToken, tokenMatches } from './token.js';
import type { WebhookProvider } from './webhook-provider.js';

export interface KaleyraWebhookOptions {
  /**
   * A secret of 24 to 256 URL-safe characters (`openssl rand -hex 24`), e.g. from an environment
   * variable. It travels in the callback URL as `otpkit_token`; never logged or echoed. Required.
   */
  token: string;
  /** The public URL of the Kaleyra route, e.g. `https://app.example.com/otpkit/kaleyra`. Required. */
  publicUrl: string;
}

/** Kaleyra's webhook adapter, with the callback URL to give Kaleyra. */
export interface KaleyraWebhook extends WebhookProvider {
  readonly id: 'kaleyra';
  /**
   * `publicUrl` with the token: pass it as the Kaleyra provider's `callbackUrl` option (or wrap the
   * provider with `withCallbackUrl`). It holds the token: keep it out of logs.
   */
  readonly callbackUrl: string;
}

/**
 * The Kaleyra route: GET (query) or POST (form or JSON) callbacks, accepted when their `otpkit_token`
 * is the token, read by `parseKaleyraDeliveryReport`. Throws `OtpError` `INVALID_CONFIG` naming a wrong
 * option (never its value).
 */
export function kaleyraWebhook(options: KaleyraWebhookOptions): KaleyraWebhook {
  const token = checkToken(options?.token, 'token');
  const publicUrl = checkPublicUrl(options?.publicUrl, 'publicUrl');
  const callbackUrl = callbackUrlWithToken(publicUrl, token);
  return {
    id: 'kaleyra',
    methods: ['GET', 'POST'],
    callbackUrl,
    authenticate: (request) => tokenMatches(request.url, token),
    parse: (request) => parseKaleyraDeliveryReport(payloadOf(request, 'kaleyra')),
  };
}
