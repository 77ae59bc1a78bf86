import { randomUUID } from 'node:crypto';
import {
  basicCredentials,
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
import { PLIVO_DEFAULT_BASE_URL } from './plivo-options.js';
import { signPlivoV2 } from './plivo-signature.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type PlivoEmulatorFault =
  /** HTTP 429 and an error body, with `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with an error body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /** HTTP 403, as Plivo answers a destination country its Geo Permissions do not allow. */
  | { kind: 'geo-permission' }
  /** Plivo's error body, `{ api_id, error: message }` (and `code`, when given), with HTTP `status` (default 400). */
  | { kind: 'error'; message?: string; code?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the `authorization` header redacted. */
export interface PlivoEmulatorRequest extends VendorEmulatorRequest {}

export interface PlivoEmulatorOptions {
  /** Auth ID the emulator accepts (Basic auth user, and the path). Default `"MATESTAUTHID00000000"`. */
  authId?: string;
  /** Auth Token the emulator accepts (Basic auth password). Default `"test-auth-token"`. */
  authToken?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://api.plivo.com`. */
  baseUrl?: string;
}

/** What `deliver()` puts in the callback beside the uuid and status. */
export interface PlivoDeliverOptions {
  /** `ErrorCode`. @default "50" (invalid destination) for `undelivered`, `failed` and `rejected`, "000" otherwise */
  errorCode?: string;
}

/**
 * An emulator of Plivo's Message API: see `createPlivoEmulator`. `accepted(to)` takes the number with
 * or without `+`. Its `deliver(messageUuid, status, options)` plays Plivo's status callback for a
 * message sent with a `url`: the fields Plivo sends (`MessageUUID`, `To`, `From`, `Status`,
 * `ErrorCode`...), by the message's `method` (a POST form, or a GET query), signed V2 with the Auth
 * Token (`X-Plivo-Signature-V2`, `-Ma-V2`, `-V2-Nonce`), as Plivo signs messaging callbacks.
 */
export interface PlivoEmulator
  extends VendorEmulator<PlivoEmulatorFault, PlivoEmulatorRequest, HttpHandler>,
    VendorDeliveries<PlivoDeliverOptions> {}

type Sent = { callbackUrl: string | undefined; method: string | undefined; to: string; from: string };
const FAILED = new Set(['undelivered', 'failed', 'rejected']);

/** A running emulator server (`listen()`). */
export type PlivoEmulatorServer = EmulatorServer;

const error = (status: number, message: string, code?: string) =>
  json(status, { api_id: randomUUID(), error: message, ...(code === undefined ? {} : { code }) });

/**
 * An emulator of Plivo's Message API, `POST /v1/Account/{authId}/Message/`, for apps' tests: msw
 * handlers (and `listen()` for a real socket) that check HTTP Basic auth (401 otherwise), read the JSON
 * body, check `src` / `powerpack_uuid` (one of them), `dst` and `text` (400 `{ api_id, error }`
 * otherwise), and answer a good request with HTTP 202 `{ api_id, message: "message(s) queued",
 * message_uuid: [uuid] }`. It can be told to fail the next requests.
 */
export function createPlivoEmulator(options: PlivoEmulatorOptions = {}): PlivoEmulator {
  const authId = options.authId ?? 'MATESTAUTHID00000000';
  const authToken = options.authToken ?? 'test-auth-token';
  const baseUrl = options.baseUrl ?? PLIVO_DEFAULT_BASE_URL;
  const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
  return createVendorEmulator<
    PlivoEmulatorFault,
    PlivoEmulatorRequest,
    HttpHandler,
    Sent,
    PlivoDeliverOptions
  >({
    http,
    provider: 'plivo',
    baseUrl,
    routes: ['/v1/*'],
    redact: { headers: ['authorization'] },
    authorize(request) {
      const { user, password } = basicCredentials(request) ?? {};
      return user === authId && password === authToken;
    },
    recipientKey: (to) => to.replace(/^\+/, ''),
    fault(fault) {
      switch (fault.kind) {
        case 'rate-limit':
          return json(
            429,
            { api_id: randomUUID(), error: 'Too many requests' },
            { retryAfter: fault.retryAfter },
          );
        case 'unavailable':
          return error(fault.status ?? 503, 'Service unavailable');
        case 'geo-permission':
          return error(403, 'This destination country is not enabled for your account (Geo Permissions)');
        case 'error':
          return error(fault.status ?? 400, fault.message ?? 'Request failed', fault.code);
      }
    },
    answer({ request, url, form, authorized, accept, remember }) {
      const match = /^\/v1\/Account\/([^/]+)\/Message\/$/.exec(url.pathname.slice(prefix.length));
      if (request.method !== 'POST' || !match) return error(404, 'not found');
      if (!authorized || match[1] !== authId) return error(401, 'Authentication credentials invalid');
      if (!form.src === !form.powerpack_uuid) {
        return error(400, 'Either of src or powerpack uuid, one of them is required');
      }
      if (!form.dst || !/^\+?[1-9]\d{6,14}$/.test(form.dst)) return error(400, 'invalid dst parameter');
      if (!form.text) return error(400, 'text parameter is missing');
      if (form.url !== undefined && !/^https?:\/\//.test(form.url))
        return error(400, 'invalid url parameter');
      const to = form.dst.replace(/^\+/, '');
      accept(to);
      const uuid = randomUUID();
      remember(uuid, { callbackUrl: form.url, method: form.method, to, from: form.src ?? '' });
      return json(202, { api_id: randomUUID(), message: 'message(s) queued', message_uuid: [uuid] });
    },
    callback({ id, callbackUrl, method, to, from }, status, { errorCode }) {
      const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
      const fields = {
        MessageUUID: id,
        To: to,
        From: from,
        Type: 'sms',
        Status: status,
        Units: '1',
        ErrorCode: errorCode ?? (FAILED.has(status) ? '50' : '000'),
        MessageTime: now,
        ...(status === 'queued' ? {} : { DeliveryReportTime: now }),
      };
      const nonce = String(Math.floor(Math.random() * 1e15));
      const signature = signPlivoV2(callbackUrl, nonce, authToken);
      const headers = {
        'x-plivo-signature-v2': signature,
        'x-plivo-signature-ma-v2': signature,
        'x-plivo-signature-v2-nonce': nonce,
      };
      return fieldCallback(callbackUrl, fields, {
        method: method?.toUpperCase() === 'GET' ? 'GET' : 'POST',
        headers,
      });
    },
  });
}
