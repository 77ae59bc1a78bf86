/**
 * Sinch's delivery reports, for `createWebhookHandler`: `@otpkit/webhooks/sinch`. With a webhook secret
 * set on the service plan's callback, Sinch signs each call (`x-sinch-webhook-signature`: HMAC-SHA256
 * over the raw body, a nonce and a timestamp); the adapter checks it with `verifySinchSignature`.
 */
import {
  parseSinchDeliveryReport,
  SINCH_SIGNATURE_MAX_AGE_MS,
  verifySinchSignature,
} from '@otpkit/provider-sinch';
import { checkMaxAge, checkPublicUrl, checkSecret } from './token.js';
import type { WebhookProvider } from './webhook-provider.js';

export interface SinchWebhookOptions {
  /** The webhook secret set on the service plan's callback (not the API token). Required. */
  webhookSecret: string;
  /** Oldest (or furthest ahead) signature timestamp accepted, in ms. @default 300000 (5 minutes) */
  maxAgeMs?: number;
  /** The public URL of the Sinch route, e.g. `https://app.example.com/otpkit/sinch`. Required. */
  publicUrl: string;
}

/** Sinch's webhook adapter, with the callback URL to send. */
export interface SinchWebhook extends WebhookProvider {
  readonly id: 'sinch';
  /** `publicUrl`: give it as each batch's `callback_url` (`withCallbackUrl`, or the provider's `callbackUrl`). */
  readonly callbackUrl: string;
}

/**
 * The Sinch route: POST-JSON delivery reports whose `x-sinch-webhook-signature` is valid for the raw
 * body, the nonce and a recent timestamp, read by `parseSinchDeliveryReport`. Throws `OtpError`
 * `INVALID_CONFIG` naming a wrong option (never its value).
 */
export function sinchWebhook(options: SinchWebhookOptions): SinchWebhook {
  const secret = checkSecret(options?.webhookSecret, 'webhookSecret', 'your Sinch webhook secret');
  const maxAgeMs = checkMaxAge(options.maxAgeMs, 'maxAgeMs', SINCH_SIGNATURE_MAX_AGE_MS);
  const publicUrl = checkPublicUrl(options.publicUrl, 'publicUrl');
  return {
    id: 'sinch',
    methods: ['POST'],
    callbackUrl: publicUrl.toString(),
    authenticate: (request) => verifySinchSignature(request.body, request.headers, { secret, maxAgeMs }),
    parse: (request) => parseSinchDeliveryReport(request.body),
  };
}
