import { randomUUID } from 'node:crypto';
import {
  type CommonEmulatorFault,
  createVendorEmulator,
  type EmulatorServer,
  jsonResponse as json,
  type VendorEmulator,
  type VendorEmulatorRequest,
} from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { PLIVO_DEFAULT_BASE_URL } from './plivo-options.js';

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

/** An emulator of Plivo's Message API: see `createPlivoEmulator`. `accepted(to)` takes the number with or without `+`. */
export interface PlivoEmulator
  extends VendorEmulator<PlivoEmulatorFault, PlivoEmulatorRequest, HttpHandler> {}

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
  const basic = `Basic ${Buffer.from(`${authId}:${authToken}`).toString('base64')}`;
  return createVendorEmulator<PlivoEmulatorFault, PlivoEmulatorRequest, HttpHandler>({
    http,
    baseUrl,
    routes: ['/v1/*'],
    redact: { headers: ['authorization'] },
    authorize: (request) => request.headers.get('authorization') === basic,
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
    answer({ request, url, form, authorized, accept }) {
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
      accept(form.dst.replace(/^\+/, ''));
      return json(202, { api_id: randomUUID(), message: 'message(s) queued', message_uuid: [randomUUID()] });
    },
  });
}
