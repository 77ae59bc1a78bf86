import { randomBytes } from 'node:crypto';
import { OtpError } from '@otpkit/core';
import {
  type CommonEmulatorFault,
  createVendorEmulator,
  type EmulatorServer,
  jsonResponse as json,
  sendVendorCallback,
  type VendorEmulator,
  type VendorEmulatorRequest,
} from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { SINCH_DEFAULT_BASE_URL } from './sinch-options.js';
import { signSinchCallback } from './sinch-signature.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type SinchEmulatorFault =
  /** HTTP 429 with an empty body, with `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with an empty body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /**
   * A Sinch error body, `{ code, text }`, e.g. `{ code: 'syntax_invalid_parameter_format' }`. Default
   * status 400.
   */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the `authorization` header redacted. */
export interface SinchEmulatorRequest extends VendorEmulatorRequest {}

export interface SinchEmulatorOptions {
  /** The service plan id the emulator serves. Default `"test-service-plan"`. */
  servicePlanId?: string;
  /** API token the emulator accepts as a bearer token. Default `"test-api-token"`. */
  apiToken?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://us.sms.api.sinch.com`. */
  baseUrl?: string;
  /** The webhook secret `deliver()` signs callbacks with (`x-sinch-webhook-signature`). Default: unsigned. */
  webhookSecret?: string;
}

/** An emulator of Sinch's SMS REST API: see `createSinchEmulator`. */
export interface SinchEmulator extends VendorEmulator<SinchEmulatorFault, SinchEmulatorRequest, HttpHandler> {
  /**
   * Plays Sinch's per-recipient delivery report for an accepted batch: POSTs the JSON Sinch sends
   * (`type: "recipient_delivery_report_sms"`, `batch_id`, `recipient`, `status`, `code`, `at`,
   * `client_reference`) to the batch's `callback_url` over a real socket, signed with the
   * `x-sinch-webhook-signature` headers when the emulator has a `webhookSecret`, and resolves with the
   * status the app answered. `code` defaults to 0, or 402 for `Failed` and `Aborted`. `INVALID_INPUT`
   * for a batch id the emulator did not issue, or one sent without a `callback_url`.
   */
  deliver(
    messageId: string,
    status: 'Delivered' | 'Failed' | 'Dispatched' | 'Expired' | (string & {}),
    options?: { code?: number },
  ): Promise<{ status: number }>;
}

/** A running emulator server (`listen()`). */
export type SinchEmulatorServer = EmulatorServer;

const REPORTS = new Set(['none', 'summary', 'full', 'per_recipient', 'per_recipient_final']);
const ULID = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * An emulator of Sinch's SMS REST API, `POST /xms/v1/{servicePlanId}/batches`, for apps' tests: msw
 * handlers (and `listen()` for a real socket) that check the bearer token (401 with an empty body
 * otherwise, as Sinch answers) and the service plan (404), read the JSON batch, check it as Sinch does
 * (`syntax_constraint_violation` for a missing `to`, `body` or `from`; `syntax_invalid_parameter_format`
 * for a bad MSISDN or `delivery_report`), and answer a good one with HTTP 201 and the batch, with a fresh
 * 26-character `id`. It can be told to fail the next requests.
 */
export function createSinchEmulator(options: SinchEmulatorOptions = {}): SinchEmulator {
  const servicePlanId = options.servicePlanId ?? 'test-service-plan';
  const apiToken = options.apiToken ?? 'test-api-token';
  const baseUrl = options.baseUrl ?? SINCH_DEFAULT_BASE_URL;
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const endpoint = `${prefix}/xms/v1/${encodeURIComponent(servicePlanId)}/batches`;
  /** Accepted batches by id: where and about whom Sinch would report. */
  const sent = new Map<
    string,
    { to: string; callbackUrl: string | undefined; reference: string | undefined }
  >();
  const emulator = createVendorEmulator<SinchEmulatorFault, SinchEmulatorRequest, HttpHandler>({
    http,
    baseUrl,
    routes: ['/xms/v1/*'],
    redact: { headers: ['authorization'] },
    onReset: () => sent.clear(),
    authorize: (request) => request.headers.get('authorization') === `Bearer ${apiToken}`,
    fault(fault) {
      switch (fault.kind) {
        case 'rate-limit':
          return new Response(null, {
            status: 429,
            headers: fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) },
          });
        case 'unavailable':
          return new Response(null, { status: fault.status ?? 503 });
        case 'error':
          return json(fault.status ?? 400, {
            code: fault.code,
            text: fault.message ?? `Error ${fault.code}`,
          });
      }
    },
    answer({ request, url, form, authorized, accept }) {
      if (!authorized) return new Response(null, { status: 401 });
      if (url.pathname !== endpoint) return new Response(null, { status: 404 });
      if (request.method !== 'POST') return new Response(null, { status: 405 });
      if (!(request.headers.get('content-type') ?? '').includes('application/json')) {
        return new Response(null, { status: 415 });
      }
      const missing = ['to', 'body', 'from'].find((field) => !form[field]);
      if (missing) return refuse('syntax_constraint_violation', `${missing} is required`);
      const to = form.to!.split(',');
      if (to.length !== 1 || !/^\+?[1-9]\d{6,14}$/.test(to[0]!)) {
        return refuse('syntax_invalid_parameter_format', 'Invalid MSISDN in to');
      }
      if (form.delivery_report !== undefined && !REPORTS.has(form.delivery_report)) {
        return refuse('syntax_invalid_parameter_format', 'Invalid delivery_report');
      }
      accept(to[0]!);
      const id = Array.from(randomBytes(26), (byte) => ULID[byte % 32]).join('');
      sent.set(id, { to: to[0]!, callbackUrl: form.callback_url, reference: form.client_reference });
      const now = new Date().toISOString();
      return json(201, {
        id,
        to,
        from: form.from,
        body: form.body,
        type: form.type ?? 'mt_text',
        canceled: false,
        created_at: now,
        modified_at: now,
        delivery_report: form.delivery_report ?? 'none',
        ...(form.callback_url === undefined ? {} : { callback_url: form.callback_url }),
        ...(form.client_reference === undefined ? {} : { client_reference: form.client_reference }),
      });
    },
  });

  async function deliver(messageId: string, status: string, { code }: { code?: number } = {}) {
    const batch = sent.get(messageId);
    if (batch?.callbackUrl === undefined) {
      const expected = 'messageId: expected the id of a batch this emulator accepted with a callback_url';
      throw new OtpError('INVALID_INPUT', expected, { provider: 'sinch' });
    }
    const body = JSON.stringify({
      at: new Date().toISOString(),
      batch_id: messageId,
      client_reference: batch.reference,
      code: code ?? (/^(failed|aborted)$/i.test(status) ? 402 : 0),
      recipient: batch.to.replace(/^\+/, ''),
      status,
      type: 'recipient_delivery_report_sms',
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.webhookSecret !== undefined) {
      const nonce = Array.from(randomBytes(26), (byte) => ULID[byte % 32]).join('');
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = signSinchCallback(body, { secret: options.webhookSecret, nonce, timestamp });
      Object.assign(headers, {
        'x-sinch-webhook-signature': signature,
        'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
        'x-sinch-webhook-signature-nonce': nonce,
        'x-sinch-webhook-signature-timestamp': timestamp,
      });
    }
    return sendVendorCallback({ method: 'POST', url: batch.callbackUrl, headers, body });
  }
  return Object.assign(emulator, { deliver });
}

function refuse(code: string, text: string): Response {
  return json(400, { code, text });
}
