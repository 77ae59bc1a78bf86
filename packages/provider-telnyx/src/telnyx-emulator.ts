import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import {
  type CommonEmulatorFault,
  createVendorEmulator,
  type EmulatorServer,
  jsonResponse as json,
  type VendorDeliveries,
  type VendorEmulator,
  type VendorEmulatorRequest,
} from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { TELNYX_DEFAULT_BASE_URL } from './telnyx-options.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type TelnyxEmulatorFault =
  /** 429 with code `10011`, and `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with code `10007` ("Unexpected error"). Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /** A Telnyx error reply, e.g. `{ code: '40300', status: 403 }`. Default status 400. */
  | { kind: 'error'; code: string; title?: string; detail?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the `authorization` header redacted. */
export interface TelnyxEmulatorRequest extends VendorEmulatorRequest {}

export interface TelnyxEmulatorOptions {
  /** API key the emulator accepts as a bearer token. Default `"test-api-key"`. */
  apiKey?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://api.telnyx.com`. */
  baseUrl?: string;
  /** Numbers that sent STOP: a send to them gets `40300` (HTTP 409, as Telnyx documents). Default none. */
  optedOut?: readonly string[];
}

/** What `webhook` and `deliver` put in a webhook beside the message id and status. */
export interface TelnyxWebhookOptions {
  /** The recipient. Default the message's, or `+14155550123`. */
  to?: string;
  /** A delivery error code (`errors[0].code`, e.g. `"40008"`). Default none. */
  errorCode?: string;
  /** The `telnyx-timestamp`, Unix seconds. Default now. */
  timestamp?: number;
}

/** A signed webhook as Telnyx posts it: the raw body and its headers. */
export interface TelnyxSignedWebhook {
  body: string;
  headers: { 'content-type': string; 'telnyx-signature-ed25519': string; 'telnyx-timestamp': string };
}

/**
 * An emulator of Telnyx's API: see `createTelnyxEmulator`. Its `deliver(messageId, status, options)`
 * posts the signed webhook of `webhook()` to the `webhook_url` of a message it accepted, over a real
 * socket, and resolves with the status the app answered (`INVALID_INPUT` for another id, or a message
 * sent without a `webhook_url`).
 */
export interface TelnyxEmulator
  extends VendorEmulator<TelnyxEmulatorFault, TelnyxEmulatorRequest, HttpHandler>,
    VendorDeliveries<TelnyxWebhookOptions> {
  /** The emulator's own Ed25519 public key (base64): give it to the provider as `publicKey`. */
  readonly publicKey: string;
  /**
   * A `message.finalized` webhook (`message.sent` for `queued`, `sending` and `sent`) for a message,
   * signed with the emulator's key as Telnyx signs (`timestamp|body`).
   */
  webhook(messageId: string, status: string, options?: TelnyxWebhookOptions): TelnyxSignedWebhook;
}

/** A running emulator server (`listen()`). */
export type TelnyxEmulatorServer = EmulatorServer;

const errors = (code: string, title: string, detail?: string, pointer?: string) => ({
  errors: [{ code, title, ...(detail ? { detail } : {}), ...(pointer ? { source: { pointer } } : {}) }],
});
const missing = (pointer: string) =>
  json(400, errors('10004', 'Missing required parameter', undefined, pointer));

/**
 * msw handlers (and `listen()` for a real socket) for `POST /v2/messages`: the bearer key checked
 * (`10009`, 401), the JSON body read as Telnyx does (`10004` for a missing field, `10016` for a number
 * not in +E.164, `40300` for an opted-out one), a good send answered with a message of fresh id; and
 * its webhooks, signed with a key of the emulator's own.
 */
export function createTelnyxEmulator(options: TelnyxEmulatorOptions = {}): TelnyxEmulator {
  const apiKey = options.apiKey ?? 'test-api-key';
  const optedOut = new Set(options.optedOut ?? []);
  const keys = generateKeyPairSync('ed25519');
  const spki = keys.publicKey.export({ format: 'der', type: 'spki' });
  const recipients = new Map<string, string>();
  const emulator = createVendorEmulator<
    TelnyxEmulatorFault,
    TelnyxEmulatorRequest,
    HttpHandler,
    { callbackUrl: string | undefined; to: string },
    TelnyxWebhookOptions
  >({
    http,
    baseUrl: options.baseUrl ?? TELNYX_DEFAULT_BASE_URL,
    routes: ['/v2/*'],
    redact: { headers: ['authorization'] },
    authorize: (request) => request.headers.get('authorization') === `Bearer ${apiKey}`,
    provider: 'telnyx',
    onReset: () => recipients.clear(),
    fault(fault) {
      if (fault.kind === 'rate-limit') {
        return json(429, errors('10011', 'Too many requests'), { retryAfter: fault.retryAfter });
      }
      if (fault.kind === 'unavailable') return json(fault.status ?? 503, errors('10007', 'Unexpected error'));
      return json(
        fault.status ?? 400,
        errors(fault.code, fault.title ?? `Error ${fault.code}`, fault.detail),
      );
    },
    answer({ request, url, form, authorized, accept, remember }) {
      if (request.method !== 'POST' || url.pathname !== '/v2/messages') {
        return json(404, errors('10005', 'Resource not found'));
      }
      if (!authorized) return json(401, errors('10009', 'Authentication failed'));
      if (!(request.headers.get('content-type') ?? '').includes('application/json')) {
        return json(415, errors('10014', 'Unsupported Media Type'));
      }
      if (!form.to) return missing('/to');
      if (!/^\+[1-9]\d{6,14}$/.test(form.to)) {
        return json(400, errors('10016', 'Phone number must be in +E.164 format', undefined, '/to'));
      }
      if (!form.text) return missing('/text');
      if (!form.from && !form.messaging_profile_id) return missing('/from');
      if (optedOut.has(form.to)) {
        const detail = `Messages cannot be sent from ${form.from} to ${form.to} due to an existing block rule.`;
        return json(409, errors('40300', 'Blocked due to STOP message', detail));
      }
      accept(form.to);
      const id = randomUUID();
      remember(id, { callbackUrl: form.webhook_url, to: form.to });
      recipients.set(id, form.to);
      const profile = form.messaging_profile_id ? { messaging_profile_id: form.messaging_profile_id } : {};
      const to = [{ phone_number: form.to, status: 'queued' }];
      const data = { record_type: 'message', direction: 'outbound', id, type: 'SMS', ...profile, to };
      return json(200, {
        data: { ...data, text: form.text, parts: 1, webhook_url: form.webhook_url, errors: [] },
      });
    },
    callback: ({ id, callbackUrl, to }, status, extra) => ({
      method: 'POST',
      url: callbackUrl,
      ...webhook(id, status, { to, ...extra }),
    }),
  });

  function webhook(messageId: string, status: string, extra: TelnyxWebhookOptions = {}): TelnyxSignedWebhook {
    const timestamp = extra.timestamp ?? Math.floor(Date.now() / 1000);
    const finalized = !['queued', 'sending', 'sent'].includes(status);
    const at = new Date(timestamp * 1000).toISOString();
    const to = [{ phone_number: extra.to ?? recipients.get(messageId) ?? '+14155550123', status }];
    const payload = { id: messageId, record_type: 'message', direction: 'outbound', type: 'SMS', to };
    const failed = extra.errorCode ? [{ code: extra.errorCode, title: `Error ${extra.errorCode}` }] : [];
    const data = {
      event_type: finalized ? 'message.finalized' : 'message.sent',
      id: randomUUID(),
      occurred_at: at,
    };
    const body = JSON.stringify({
      data: { ...data, payload: { ...payload, ...(finalized ? { completed_at: at } : {}), errors: failed } },
      meta: { attempt: 1, delivered_to: 'https://example.com/telnyx' },
    });
    const signature = sign(null, Buffer.from(`${timestamp}|${body}`), keys.privateKey).toString('base64');
    const headers = { 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': String(timestamp) };
    return { body, headers: { 'content-type': 'application/json', ...headers } };
  }

  return Object.assign(emulator, { publicKey: spki.subarray(-32).toString('base64'), webhook });
}
