/**
 * Infobip's delivery reports, for `createWebhookHandler`: `@otpkit/webhooks/infobip`. Infobip signs
 * nothing, so the route is protected by a secret token that otpkit puts in the delivery URL it gives
 * Infobip (`webhooks.delivery.url`) and checks, in constant time, on the way back.
 */
import { parseInfobipDeliveryReports } from '@otpkit/provider-infobip';
import { callbackUrlWithToken, checkPublicUrl, checkToken, tokenMatches } from './token.js';
import type { WebhookProvider } from './webhook-provider.js';

export interface InfobipWebhookOptions {
  /**
   * A secret of 24 to 256 URL-safe characters (`openssl rand -hex 24`), e.g. from an environment
   * variable. It travels in the delivery URL as `otpkit_token`; never logged or echoed. Required.
   */
  token: string;
  /** The public URL of the Infobip route, e.g. `https://app.example.com/otpkit/infobip`. Required. */
  publicUrl: string;
}

/** Infobip's webhook adapter, with the delivery URL to send. */
export interface InfobipWebhook extends WebhookProvider {
  readonly id: 'infobip';
  /**
   * `publicUrl` with the token: pass it as the Infobip provider's `callbackUrl` option (or wrap the
   * provider with `withCallbackUrl`). It holds the token: keep it out of logs.
   */
  readonly callbackUrl: string;
}

/**
 * The Infobip route: POST-JSON reports (`{ results: [...] }`, up to 100 a call), accepted when their
 * `otpkit_token` is the token, read by `parseInfobipDeliveryReports`: every result is reported.
 * Throws `OtpError` `INVALID_CONFIG` naming a wrong option (never its value).
 */
export function infobipWebhook(options: InfobipWebhookOptions): InfobipWebhook {
  const token = checkToken(options?.token, 'token');
  const publicUrl = checkPublicUrl(options?.publicUrl, 'publicUrl');
  return {
    id: 'infobip',
    methods: ['POST'],
    callbackUrl: callbackUrlWithToken(publicUrl, token),
    authenticate: (request) => tokenMatches(request.url, token),
    parse: (request) => parseInfobipDeliveryReports(request.body),
  };
}
