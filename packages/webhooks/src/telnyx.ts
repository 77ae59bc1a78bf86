/**
 * Telnyx's message webhooks, for `createWebhookHandler`: `@otpkit/webhooks/telnyx`. Telnyx signs every
 * webhook with its Ed25519 key (`telnyx-signature-ed25519` over `telnyx-timestamp`, `|` and the raw
 * body); the adapter checks it with the account's public key and a replay window
 * (`verifyTelnyxSignature`).
 */
import { OtpError } from '@otpkit/core';
import {
  parseTelnyxDeliveryReport,
  TELNYX_SIGNATURE_MAX_AGE_MS,
  verifyTelnyxSignature,
} from '@otpkit/provider-telnyx';
import { checkMaxAge, checkPublicUrl } from './token.js';
import type { WebhookProvider } from './webhook-provider.js';

export interface TelnyxWebhookOptions {
  /** The account's public key, base64 (Mission Control: Keys & Credentials, Public Key). Required. */
  publicKey: string;
  /** Oldest (or furthest ahead) `telnyx-timestamp` accepted, in ms. @default 300000 (5 minutes) */
  maxAgeMs?: number;
  /** The public URL of the Telnyx route, e.g. `https://app.example.com/otpkit/telnyx`. Required. */
  publicUrl: string;
}

/** Telnyx's webhook adapter, with the webhook URL to send. */
export interface TelnyxWebhook extends WebhookProvider {
  readonly id: 'telnyx';
  /** `publicUrl`: give it as each message's `webhook_url` (`withCallbackUrl`, or the provider's `webhookUrl`). */
  readonly callbackUrl: string;
}

/**
 * The Telnyx route: POST-JSON webhooks (`message.sent`, `message.finalized`) whose Ed25519 signature
 * is valid for the raw body and a recent timestamp, read by `parseTelnyxDeliveryReport`. Throws
 * `OtpError` `INVALID_CONFIG` naming a wrong option (never its value).
 */
export function telnyxWebhook(options: TelnyxWebhookOptions): TelnyxWebhook {
  const publicKey = options?.publicKey;
  try {
    // Checked now, with a request that cannot pass: a key that is not one throws INVALID_CONFIG.
    verifyTelnyxSignature({ publicKey, body: '', headers: {} });
  } catch {
    const message = 'expected the Telnyx public key, 32 bytes in base64 (not the API key)';
    throw new OtpError('INVALID_CONFIG', `publicKey: ${message}`, {
      issues: [{ path: 'publicKey', message }],
    });
  }
  const maxAgeMs = checkMaxAge(options.maxAgeMs, 'maxAgeMs', TELNYX_SIGNATURE_MAX_AGE_MS);
  const publicUrl = checkPublicUrl(options.publicUrl, 'publicUrl');
  return {
    id: 'telnyx',
    methods: ['POST'],
    callbackUrl: publicUrl.toString(),
    authenticate: (request) =>
      verifyTelnyxSignature({ publicKey, body: request.body, headers: request.headers, maxAgeMs }),
    parse: (request) => parseTelnyxDeliveryReport(request.body),
  };
}
