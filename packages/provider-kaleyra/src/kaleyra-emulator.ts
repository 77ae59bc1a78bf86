import { randomUUID } from 'node:crypto';
import {
  type CommonEmulatorFault,
  createVendorEmulator,
  type EmulatorServer,
  fieldCallback,
  jsonResponse as json,
  type VendorDeliveries,
  type VendorEmulator,
  type VendorEmulatorRequest,
} from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { KALEYRA_DEFAULT_BASE_URL, KALEYRA_REGIONS, type KaleyraRegion } from './kaleyra-options.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type KaleyraEmulatorFault =
  /** 429, with `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with a JSON error body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /** A Kaleyra error body (`{ code, message, error }`), e.g. `{ code: 'E413' }`. Default status 400. */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the `api-key` header redacted. */
export interface KaleyraEmulatorRequest extends VendorEmulatorRequest {}

export interface KaleyraEmulatorOptions {
  /** SID the emulator accepts. Default `"HXTEST00000IN"`. */
  sid?: string;
  /** API key the emulator accepts in the `api-key` header. Default `"test-api-key"`. */
  apiKey?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://api.kaleyra.io`. */
  baseUrl?: string;
  /** Or the pod, like the provider's `region` option. */
  region?: KaleyraRegion;
  /** How `deliver()` calls the callback: `GET` with query fields, or `POST` with a form. @default "POST" */
  callbackMethod?: 'GET' | 'POST';
}

/**
 * An emulator of Kaleyra's API: see `createKaleyraEmulator`. Its `deliver(messageId, status, options)`
 * plays Kaleyra's delivery callback for an accepted message: calls the message's `callback` URL (its
 * query, the app's token included, kept) over a real socket with `message_id`, `status`, `recipient`,
 * `timestamp` and, when not delivered, `error_code` (default `MOB-OFF`), by `callbackMethod`. Kaleyra
 * signs nothing. Resolves with the status the app answered. `INVALID_INPUT` for a message id the
 * emulator did not issue, or a message sent without a callback.
 */
export interface KaleyraEmulator
  extends VendorEmulator<KaleyraEmulatorFault, KaleyraEmulatorRequest, HttpHandler>,
    VendorDeliveries {}

/** A running emulator server. */
export type KaleyraEmulatorServer = EmulatorServer;

const MULTIPLE_NUMBERS = {
  code: 'E404',
  message: 'If Type is OTP then only one mobile number is allowed.',
  error: { time: 'If Type is OTP then only one mobile number is allowed.' },
};

/**
 * An emulator of Kaleyra's `POST /v1/{sid}/messages` for apps' tests: msw handlers that check the
 * `api-key` header (401 otherwise), read the form, refuse several numbers with the seed's `E404`
 * reply, answer a good request with a success body of the seed's shape (fresh ids), and can be told to
 * fail the next requests.
 */
export function createKaleyraEmulator(options: KaleyraEmulatorOptions = {}): KaleyraEmulator {
  const sid = options.sid ?? 'HXTEST00000IN';
  const apiKey = options.apiKey ?? 'test-api-key';
  return createVendorEmulator<
    KaleyraEmulatorFault,
    KaleyraEmulatorRequest,
    HttpHandler,
    { to: string; callbackUrl: string | undefined }
  >({
    http,
    provider: 'kaleyra',
    baseUrl: options.region ? KALEYRA_REGIONS[options.region] : (options.baseUrl ?? KALEYRA_DEFAULT_BASE_URL),
    routes: ['/v1/*'],
    redact: { headers: ['api-key'] },
    authorize: (request) => request.headers.get('api-key') === apiKey,
    fault(fault) {
      switch (fault.kind) {
        case 'rate-limit':
          return json(
            429,
            { code: 'E429', message: 'Too many requests', error: {} },
            { retryAfter: fault.retryAfter },
          );
        case 'unavailable':
          return json(fault.status ?? 503, {
            code: 'E103',
            message: 'Internal error, try again later',
            error: {},
          });
        case 'error':
          return json(fault.status ?? 400, {
            code: fault.code,
            message: fault.message ?? `Kaleyra error ${fault.code}`,
            error: {},
          });
      }
    },
    answer({ request, url, form, authorized, accept, remember }) {
      if (request.method !== 'POST' || !/^\/v1\/[^/]+\/messages$/.test(url.pathname)) {
        return json(404, { message: 'Not found', error: {} });
      }
      // A key works only with the SID of its own account.
      if (!authorized || url.pathname !== `/v1/${sid}/messages`) {
        return json(401, { message: 'Unauthorized: invalid api-key for this SID', error: {} });
      }
      const to = form.to;
      if (!to) return json(400, { code: 'E600', message: 'to is missing', error: { to: 'to is missing' } });
      if (/[,;\s]/.test(to.trim())) return json(400, MULTIPLE_NUMBERS);
      if (!form.body) {
        return json(400, { code: 'E601', message: 'body is missing', error: { body: 'body is missing' } });
      }
      if (form.type !== 'OTP') {
        return json(400, {
          code: 'E615',
          message: 'Type must be TXN, MKT or OTP',
          error: { type: 'invalid' },
        });
      }
      accept(to);
      const id = randomUUID();
      remember(`${id}:1`, { to, callbackUrl: form.callback });
      const reply: Record<string, unknown> = {
        id,
        sender: form.sender ?? 'KLRHXA',
        type: 'OTP',
        body: form.body,
        createdDateTime: kaleyraTime(new Date()),
        totalCount: 1,
        data: [{ message_id: `${id}:1`, recipient: to.replace(/^\+/, '') }],
        dlrurl: form.callback ?? null,
        error: {},
      };
      if (form.template_id !== undefined) reply.template_id = form.template_id;
      return json(200, reply);
    },
    callback({ id, callbackUrl, to }, status, { errorCode }) {
      const fields: Record<string, string> = {
        message_id: id,
        status,
        recipient: to.replace(/^\+/, ''),
        timestamp: String(Math.floor(Date.now() / 1000)),
      };
      const code = errorCode ?? (status.toLowerCase() === 'delivered' ? undefined : 'MOB-OFF');
      if (code !== undefined) fields.error_code = code;
      return fieldCallback(callbackUrl, fields, { method: options.callbackMethod ?? 'POST' });
    },
  });
}

/** `"2019-11-04 10:42:23+00:00"`: Kaleyra's format, with a space. */
function kaleyraTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}
