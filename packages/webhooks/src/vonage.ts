/**
 * Vonage's delivery receipts (SMS API DLRs), for `createWebhookHandler`: `@otpkit/webhooks/vonage`.
 * With signed DLRs turned on for the account, the adapter checks `sig` with `verifyVonageSignature`;
 * without them, give a token instead, which otpkit puts in the callback URL and checks on the way back.
 */
import { OtpError } from '@otpkit/core';
import {
  parseVonageDeliveryReport,
  type VonageSignatureAlgorithm,
  verifyVonageSignature,
} from '@otpkit/provider-vonage';
import { payloadOf } from './payload.js';
import { callbackUrlWithToken, checkPublicUrl, checkToken, tokenMatches } from './token.js';
import type { WebhookProvider } from './webhook-provider.js';

/** Signed DLRs: the signature secret and method from the Vonage dashboard. */
export interface VonageSignedWebhookOptions {
  /** The signature secret (not the API secret). Required. */
  signatureSecret: string;
  /** The dashboard's signature method. @default "md5hash" */
  algorithm?: VonageSignatureAlgorithm;
  /** Oldest (or furthest ahead) `timestamp` accepted, in ms. @default 300000 (5 minutes) */
  maxAgeMs?: number;
  /** The public URL of the Vonage route, e.g. `https://app.example.com/otpkit/vonage`. Required. */
  publicUrl: string;
  token?: never;
}

/** Unsigned DLRs: a secret token in the callback URL. */
export interface VonageTokenWebhookOptions {
  /** A secret of 24 to 256 URL-safe characters (`openssl rand -hex 24`). Required. */
  token: string;
  /** The public URL of the Vonage route, e.g. `https://app.example.com/otpkit/vonage`. Required. */
  publicUrl: string;
  signatureSecret?: never;
}

export type VonageWebhookOptions = VonageSignedWebhookOptions | VonageTokenWebhookOptions;

/** Vonage's webhook adapter, with the callback URL to send. */
export interface VonageWebhook extends WebhookProvider {
  readonly id: 'vonage';
  /** The URL to send as each message's `callback` (`withCallbackUrl`); with a token, it holds it. */
  readonly callbackUrl: string;
}

/**
 * The Vonage route: DLRs by GET (query), POST (form) or POST-JSON, accepted when signed with the
 * signature secret (and recent), or when they carry the token; read by `parseVonageDeliveryReport`.
 * Throws `OtpError` `INVALID_CONFIG` naming a wrong option (never its value).
 */
export function vonageWebhook(options: VonageWebhookOptions): VonageWebhook {
  const publicUrl = checkPublicUrl(options?.publicUrl, 'publicUrl');
  const parse = (request: Parameters<WebhookProvider['parse']>[0]) =>
    parseVonageDeliveryReport(payloadOf(request, 'vonage'));
  if (options.signatureSecret === undefined) {
    const token = checkToken(options.token, 'token');
    return {
      id: 'vonage',
      methods: ['GET', 'POST'],
      callbackUrl: callbackUrlWithToken(publicUrl, token),
      authenticate: (request) => tokenMatches(request.url, token),
      parse,
    };
  }
  if (typeof options.signatureSecret !== 'string' || options.signatureSecret === '') {
    const message = 'expected your Vonage signature secret (not the API secret), a non-empty string';
    throw new OtpError('INVALID_CONFIG', `signatureSecret: ${message}`, {
      issues: [{ path: 'signatureSecret', message }],
    });
  }
  if (options.token !== undefined) {
    const message = 'give either signatureSecret or token, not both';
    throw new OtpError('INVALID_CONFIG', `token: ${message}`, { issues: [{ path: 'token', message }] });
  }
  const signing = {
    secret: options.signatureSecret,
    ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm }),
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
  };
  // Checked now, with a payload that cannot pass: a wrong secret or algorithm throws INVALID_CONFIG.
  verifyVonageSignature({}, signing);
  return {
    id: 'vonage',
    methods: ['GET', 'POST'],
    callbackUrl: publicUrl.toString(),
    authenticate: (request) => verifyVonageSignature(payloadOf(request, 'vonage'), signing),
    parse,
  };
}
