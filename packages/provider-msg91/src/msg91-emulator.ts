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
import { MSG91_DEFAULT_BASE_URL } from './msg91-options.js';

/**
 * An emulator of Msg91's API for tests (the provider package's own, and apps'), exported from
 * `@otpkit/provider-msg91/testing`. TODO: make it answer the way Msg91 documents: its paths,
 * its authentication, its success and error bodies (copy them from the docs into `src/__fixtures__/`).
 */

/** What the emulator should do with the next request(s) instead of answering normally. */
export type Msg91EmulatorFault =
  /** 429, with `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with a JSON error body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /** A Msg91 error body (`{ code, message }`), e.g. `{ code: 'INVALID_NUMBER' }`. Default status 400. */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the `authorization` header redacted. */
export interface Msg91EmulatorRequest extends VendorEmulatorRequest {}

export interface Msg91EmulatorOptions {
  /** API key the emulator accepts as a bearer token. Default `"test-api-key"`. */
  apiKey?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://api.msg91.example`. */
  baseUrl?: string;
}

/** An emulator of Msg91's API: see `createMsg91Emulator`. */
export interface Msg91Emulator
  extends VendorEmulator<Msg91EmulatorFault, Msg91EmulatorRequest, HttpHandler> {}

/** A running emulator server (`listen()`). */
export type Msg91EmulatorServer = EmulatorServer;

/**
 * msw handlers (and `listen()` for a real socket) that check the API key (401 otherwise), read the
 * form, answer a good request with a success body (fresh ids), and can be told to fail the next requests.
 */
export function createMsg91Emulator(options: Msg91EmulatorOptions = {}): Msg91Emulator {
  const apiKey = options.apiKey ?? 'test-api-key';
  return createVendorEmulator<Msg91EmulatorFault, Msg91EmulatorRequest, HttpHandler>({
    http,
    baseUrl: options.baseUrl ?? MSG91_DEFAULT_BASE_URL,
    routes: ['/v1/*'],
    // Credentials are recorded redacted wherever they travel: a header here; list form or query
    // fields in `fields` too if Msg91 takes them there (TODO).
    redact: { headers: ['authorization'] },
    authorize: (request) => request.headers.get('authorization') === `Bearer ${apiKey}`,
    fault(fault) {
      switch (fault.kind) {
        case 'rate-limit':
          return json(
            429,
            { code: 'RATE_LIMITED', message: 'Too many requests' },
            { retryAfter: fault.retryAfter },
          );
        case 'unavailable':
          return json(fault.status ?? 503, { code: 'INTERNAL_ERROR', message: 'Try again later' });
        case 'error':
          return json(fault.status ?? 400, {
            code: fault.code,
            message: fault.message ?? `Error ${fault.code}`,
          });
      }
    },
    answer({ request, url, form, authorized, accept }) {
      if (request.method !== 'POST' || url.pathname !== '/v1/messages') {
        return json(404, { code: 'NOT_FOUND', message: 'Not found' });
      }
      if (!authorized) return json(401, { code: 'UNAUTHORIZED', message: 'Invalid API key' });
      if (!form.to || !/^\+\d{7,15}$/.test(form.to)) {
        return json(400, { code: 'INVALID_NUMBER', message: 'to must be one number in E.164 form' });
      }
      if (!form.body) return json(400, { code: 'MISSING_BODY', message: 'body is missing' });
      accept(form.to);
      return json(200, { message_id: randomUUID(), status: 'queued', created_at: new Date().toISOString() });
    },
  });
}
