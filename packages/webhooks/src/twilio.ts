/**
 * Twilio's status callbacks, for `createWebhookHandler`: `@otpkit/webhooks/twilio`. Twilio signs each
 * callback (`X-Twilio-Signature`, HMAC-SHA1 with the account's Auth Token over the URL it called and
 * the form fields); the adapter checks it with `verifyTwilioSignature`.
 */
import { OtpError } from '@otpkit/core';
import { parseTwilioDeliveryReport, verifyTwilioSignature } from '@otpkit/provider-twilio';
import { isJson } from './payload.js';
import { checkPublicUrl } from './token.js';
import type { WebhookProvider, WebhookRequest } from './webhook-provider.js';

export interface TwilioWebhookOptions {
  /** The account's Auth Token: Twilio's signing key, even when sends use an API key. Required. */
  authToken: string;
  /**
   * The URL of the Twilio route exactly as Twilio calls it (the message's `StatusCallback`), without
   * its query: e.g. `https://app.example.com/otpkit/twilio`. Behind a proxy the request's own URL is
   * not what Twilio signed, so the handler uses this, with the query the request came with. Required.
   */
  publicUrl: string;
}

/** Twilio's webhook adapter, with the status-callback URL to send. */
export interface TwilioWebhook extends WebhookProvider {
  readonly id: 'twilio';
  /** `publicUrl`: give it as each message's `StatusCallback` (`withCallbackUrl`). */
  readonly callbackUrl: string;
}

/**
 * The Twilio route: POST callbacks whose `X-Twilio-Signature` is valid for `publicUrl` (with the
 * request's query) and the form fields, read by `parseTwilioDeliveryReport`. JSON callbacks are checked
 * by their `bodySHA256`. Throws `OtpError` `INVALID_CONFIG` naming a wrong option (never its value).
 */
export function twilioWebhook(options: TwilioWebhookOptions): TwilioWebhook {
  const authToken = options?.authToken;
  if (typeof authToken !== 'string' || authToken.trim() === '') {
    const message = 'expected your Twilio Auth Token, a non-empty string';
    throw new OtpError('INVALID_CONFIG', `authToken: ${message}`, {
      issues: [{ path: 'authToken', message }],
    });
  }
  const publicUrl = checkPublicUrl(options?.publicUrl, 'publicUrl');
  publicUrl.search = '';
  const base = publicUrl.toString();
  const signedUrl = (request: WebhookRequest) => base + request.url.search;
  return {
    id: 'twilio',
    methods: ['POST'],
    callbackUrl: base,
    authenticate(request) {
      const signature = request.headers.get('x-twilio-signature');
      const url = signedUrl(request);
      if (isJson(request)) return verifyTwilioSignature({ authToken, url, body: request.body, signature });
      return verifyTwilioSignature({ authToken, url, params: new URLSearchParams(request.body), signature });
    },
    parse: (request) =>
      parseTwilioDeliveryReport(isJson(request) ? safeJson(request.body) : new URLSearchParams(request.body)),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
