/**
 * Plumbing every vendor emulator shares, for provider packages' `/testing` entries: the emulator builder
 * `createVendorEmulator` (this file), serving a fetch-style handler on a real port and scripted delays
 * (`testing/serve-fetch-handler.ts`), the common faults (`testing/common-faults.ts`), delivery callbacks
 * over a real socket (`testing/vendor-callback.ts`), Basic credentials and SMS part counts. Import from
 * `@otpkit/core/testing`; nothing else loads it.
 */

import { type CommonEmulatorFault, commonFaultResponse } from './testing/common-faults.js';
import { type EmulatorServer, serveFetchHandler } from './testing/serve-fetch-handler.js';
import {
  type CallbackLedger,
  createCallbackLedger,
  type VendorCallbackBuilder,
  type VendorDeliveries,
  type VendorDeliverOptions,
  type VendorSentBase,
} from './testing/vendor-callback.js';

export { basicCredentials } from './testing/basic-auth.js';
export type { CommonEmulatorFault } from './testing/common-faults.js';
export { commonFaultResponse, jsonResponse } from './testing/common-faults.js';
export type { EmulatorServer } from './testing/serve-fetch-handler.js';
export { delayUnlessAborted, serveFetchHandler } from './testing/serve-fetch-handler.js';
export { smsParts } from './testing/sms-parts.js';
export type {
  FieldCallbackOptions,
  VendorCallback,
  VendorCallbackBuilder,
  VendorDeliveries,
  VendorDeliverOptions,
  VendorSentBase,
  VendorSentMessage,
} from './testing/vendor-callback.js';
export { fieldCallback, sendVendorCallback } from './testing/vendor-callback.js';

/** What every vendor emulator records of a request, with the credentials redacted. */
export interface VendorEmulatorRequest {
  method: string;
  /** Path and query, e.g. `/v1/HXAP123/messages`; redacted fields in the query read `[redacted]`. */
  path: string;
  /** Headers, lower-cased, the redacted ones as `[redacted]`. */
  headers: Record<string, string>;
  /** The form (or JSON) fields of the body, the redacted ones as `[redacted]`. */
  form: Record<string, string>;
  /** True when the vendor's credentials matched. */
  authorized: boolean;
}

/** An emulator built by `createVendorEmulator`: what each vendor package's `/testing` entry returns. */
export interface VendorEmulator<Fault, Recorded, Handler> {
  /** msw request handlers: `setupServer(...emulator.handlers)`. */
  readonly handlers: readonly Handler[];
  /** Every request received, oldest first. */
  readonly requests: readonly Recorded[];
  /** Messages accepted, by recipient; or in all. */
  accepted(to?: string): number;
  /** Answers one request as the vendor would; the msw handlers call it, and so can any HTTP server. */
  handle(request: Request): Promise<Response>;
  /** The next `times` requests get this fault. */
  failNext(fault: Fault, times?: number): this;
  /** Forgets requests, accepted messages and pending faults. */
  reset(): void;
  /**
   * Serves the emulator on a real HTTP server (default `127.0.0.1`, a free port), for demos and tests
   * that need real sockets. Point the provider's `baseUrl` at the returned `url`. A `network` fault
   * resets the connection.
   */
  listen(options?: { host?: string; port?: number }): Promise<EmulatorServer>;
}

/** What a vendor's handler is given for one request. */
export interface VendorRequestContext<Sent extends VendorSentBase = VendorSentBase> {
  request: Request;
  url: URL;
  /** The URL's path under `baseUrl`'s own path, e.g. `/sms/json`; `''` outside it. */
  path: string;
  /** The fields of the body, unredacted. */
  form: Record<string, string>;
  authorized: boolean;
  /** Counts one message accepted for this recipient. */
  accept(to: string): void;
  /**
   * Keeps an accepted message by its id for `deliver()`: its callback URL and what the vendor's
   * `callback` reports of it (recipient, sender...). Without a `callback` in the definition, a no-op.
   */
  remember(messageId: string, sent: Sent): void;
}

const COMMON_FAULTS = new Set<string>(['delay', 'network', 'malformed', 'reply', 'response']);

/** What a vendor's emulator declares: where it listens, how it checks credentials, how it answers. */
export interface VendorEmulatorDefinition<
  Fault extends { kind: string },
  Recorded,
  Handler,
  Sent extends VendorSentBase = VendorSentBase,
  Options = VendorDeliverOptions,
> {
  /** msw's `http` (`import { http } from 'msw'`): core does not depend on msw. */
  http: { all(path: string, resolver: (info: { request: Request }) => Promise<Response>): Handler };
  /** The host the msw handlers intercept; trailing slashes are dropped. */
  baseUrl: string;
  /** Path patterns under `baseUrl` the handlers take, e.g. `['/v1/*']`. */
  routes: readonly string[];
  /** Headers, and form or query fields, recorded as `[redacted]`. @default none */
  redact?: { headers?: readonly string[]; fields?: readonly string[] };
  /** Whether the request's credentials are the vendor's. */
  authorize(request: Request, form: Record<string, string>): boolean;
  /** More of a request to record, beside `VendorEmulatorRequest`. @default nothing */
  describe?(request: Request, form: Record<string, string>): Omit<Recorded, keyof VendorEmulatorRequest>;
  /** Answers a request that no fault took. */
  answer(context: VendorRequestContext<Sent>): Response | Promise<Response>;
  /** Carries out a fault of the vendor's own (not a `CommonEmulatorFault`); `undefined` answers normally. */
  fault?(
    fault: Exclude<Fault, CommonEmulatorFault>,
    context: VendorRequestContext<Sent>,
  ): Response | undefined | Promise<Response | undefined>;
  /**
   * The vendor's delivery callback about a message `remember`ed by `answer` or `fault`: method, URL,
   * headers and body, signed as the vendor signs (`fieldCallback` builds the usual shapes). With it, the
   * emulator has `deliver(messageId, status, options)`, which sends it over a real socket.
   * @default none: no `deliver()`
   */
  callback?: VendorCallbackBuilder<Sent, Options>;
  /** The provider id `deliver()`'s errors carry, e.g. `"twilio"`. @default none */
  provider?: string;
  /** The key `accepted(to)` looks a recipient up by (e.g. without its `+`). @default as given */
  recipientKey?(to: string): string;
  /** Called by `reset()`, for the vendor's own state. */
  onReset?(): void;
}

/**
 * Builds a vendor emulator from its declaration: msw handlers for its routes, the recording of every
 * request (credentials redacted), `failNext` with the common faults (`commonFaultResponse`) and the
 * vendor's own, `accepted`, `reset` and `listen()` on a real socket; with a `callback`, also the
 * accepted messages' callback URLs and `deliver()`.
 */
export function createVendorEmulator<
  Fault extends { kind: string },
  Recorded extends VendorEmulatorRequest,
  Handler,
  Sent extends VendorSentBase,
  Options = VendorDeliverOptions,
>(
  definition: VendorEmulatorDefinition<Fault, Recorded, Handler, Sent, Options> & {
    callback: VendorCallbackBuilder<Sent, Options>;
  },
): VendorEmulator<Fault, Recorded, Handler> & VendorDeliveries<Options>;
export function createVendorEmulator<
  Fault extends { kind: string },
  Recorded extends VendorEmulatorRequest,
  Handler,
>(definition: VendorEmulatorDefinition<Fault, Recorded, Handler>): VendorEmulator<Fault, Recorded, Handler>;
export function createVendorEmulator<
  Fault extends { kind: string },
  Recorded extends VendorEmulatorRequest,
  Handler,
  Sent extends VendorSentBase,
  Options,
>(
  definition: VendorEmulatorDefinition<Fault, Recorded, Handler, Sent, Options>,
): VendorEmulator<Fault, Recorded, Handler> & Partial<VendorDeliveries<Options>> {
  const baseUrl = definition.baseUrl.replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const redactedHeaders = new Set(definition.redact?.headers ?? []);
  const redactedFields = definition.redact?.fields ?? [];
  const requests: Recorded[] = [];
  const faults: Fault[] = [];
  const acceptedBy = new Map<string, number>();
  const ledger: CallbackLedger<Sent, Options> = createCallbackLedger(
    definition.callback,
    definition.provider,
  );

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = redactedHeaders.has(key) ? '[redacted]' : value;
    });
    const form = await readForm(request);
    const authorized = definition.authorize(request, form);
    const recordedForm = { ...form };
    const query = new URLSearchParams(url.search);
    let queryRedacted = false;
    for (const field of redactedFields) {
      if (recordedForm[field] !== undefined) recordedForm[field] = '[redacted]';
      if (query.has(field)) {
        query.set(field, '[redacted]');
        queryRedacted = true;
      }
    }
    requests.push({
      method: request.method,
      path: url.pathname + (queryRedacted ? `?${query}` : url.search),
      headers,
      form: recordedForm,
      authorized,
      ...definition.describe?.(request, form),
    } as Recorded);
    const path =
      url.pathname === basePath
        ? '/'
        : url.pathname.startsWith(`${basePath}/`)
          ? url.pathname.slice(basePath.length)
          : '';
    const context: VendorRequestContext<Sent> = {
      request,
      url,
      path,
      form,
      authorized,
      accept: (to) => void acceptedBy.set(to, (acceptedBy.get(to) ?? 0) + 1),
      remember: ledger.remember,
    };
    const fault = faults.shift();
    if (fault) {
      const answer = COMMON_FAULTS.has(fault.kind)
        ? await commonFaultResponse(fault as CommonEmulatorFault, request.signal, request)
        : await definition.fault?.(fault as Exclude<Fault, CommonEmulatorFault>, context);
      if (answer) return answer;
    }
    return definition.answer(context);
  }

  const emulator: VendorEmulator<Fault, Recorded, Handler> & Partial<VendorDeliveries<Options>> = {
    handlers: definition.routes.map((route) =>
      definition.http.all(`${baseUrl}${route}`, ({ request }) => handle(request)),
    ),
    get requests() {
      return requests;
    },
    accepted(to) {
      if (to !== undefined) return acceptedBy.get(definition.recipientKey?.(to) ?? to) ?? 0;
      let total = 0;
      for (const count of acceptedBy.values()) total += count;
      return total;
    },
    handle,
    failNext(fault, times = 1) {
      for (let index = 0; index < times; index++) faults.push(fault);
      return emulator;
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
      acceptedBy.clear();
      ledger.clear();
      definition.onReset?.();
    },
    listen: (options) => serveFetchHandler(handle, options),
    ...(definition.callback === undefined ? {} : { deliver: ledger.deliver }),
  };
  return emulator;
}

/** The fields of a request's body: a form, or a JSON object (by its content type); `{}` when unreadable. */
async function readForm(request: Request): Promise<Record<string, string>> {
  const text = await request.text();
  if (!(request.headers.get('content-type') ?? '').includes('application/json')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
  } catch {
    return {};
  }
}
