/**
 * MSG91's delivery reports, for `createWebhookHandler`: `@otpkit/webhooks/msg91`. MSG91 signs nothing
 * and takes no callback URL per message: its webhook is set once, in the MSG91 panel. The route is
 * protected by a secret token in that URL, which the adapter checks, in constant time, on every call.
 */
import { parseMsg91DeliveryReports } from '@otpkit/provider-msg91';
import { payloadOf } from './payload.js';
import { callbackUrlWithToken, checkPublicUrl, checkToken, tokenMatches } from './token.js';
import type { WebhookProvider } from './webhook-provider.js';

export interface Msg91WebhookOptions {
  /**
   * A secret of 24 to 256 URL-safe characters (`openssl rand -hex 24`), e.g. from an environment
   * variable. It travels in the webhook URL as `otpkit_token`; never logged or echoed. Required.
   */
  token: string;
  /** The public URL of the MSG91 route, e.g. `https://app.example.com/otpkit/msg91`. Required. */
  publicUrl: string;
}

/** MSG91's webhook adapter, with the webhook URL to paste into the MSG91 panel. */
export interface Msg91Webhook extends WebhookProvider {
  readonly id: 'msg91';
  /**
   * `publicUrl` with the token: paste it as the delivery-report webhook in the MSG91 panel (MSG91 takes
   * no URL per message, so `withCallbackUrl` is not needed). It holds the token: keep it out of logs.
   */
  readonly callbackUrl: string;
}

/**
 * The MSG91 route: POST (the legacy form whose `data` field holds a JSON array, or the JSON webhooks)
 * or GET (query) calls, accepted when their `otpkit_token` is the token, read by
 * `parseMsg91DeliveryReports`: every report a call holds is reported. Throws `OtpError`
 * `INVALID_CONFIG` naming a wrong option (never its value).
 */
export function msg91Webhook(options: Msg91WebhookOptions): Msg91Webhook {
  const token = checkToken(options?.token, 'token');
  const publicUrl = checkPublicUrl(options?.publicUrl, 'publicUrl');
  return {
    id: 'msg91',
    methods: ['GET', 'POST'],
    callbackUrl: callbackUrlWithToken(publicUrl, token),
    authenticate: (request) => tokenMatches(request.url, token),
    // A POST's raw body: the parser tells the legacy form from JSON (an object or an array) itself.
    parse: (request) =>
      parseMsg91DeliveryReports(request.method === 'GET' ? payloadOf(request, 'msg91') : request.body),
  };
}
