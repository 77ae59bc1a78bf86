import { randomBytes } from 'node:crypto';
import * as kit from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { VONAGE_ERROR_CODES } from './vonage-errors.js';
import { VONAGE_DEFAULT_BASE_URL, VONAGE_TTL_RANGE_MS } from './vonage-options.js';
import { signVonageParams, type VonageSignatureAlgorithm } from './vonage-signature.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type VonageEmulatorFault =
  /** HTTP 429, with `Retry-After` when given (seconds, or an HTTP date), and a status `1` body. */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with a status `5` body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /**
   * Vonage's own way to fail: HTTP 200, and a Vonage `status` (e.g. `'4'`, `'1'`) on part `part`
   * (default 1) of the message; the other parts are accepted. `errorText` defaults to the status's
   * name in `VONAGE_ERROR_CODES` (`'Bad Credentials'` for `'4'`).
   */
  | { kind: 'status'; status: string; errorText?: string; part?: number }
  /**
   * A one-entry Vonage failure body, `{ status: code, "error-text": message }`, with HTTP `status`
   * (default 200, as Vonage answers).
   */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | kit.CommonEmulatorFault;

/**
 * One request the emulator received: `authorization` and `api_secret` (in the form and the query) as
 * `[redacted]`; `authorized` when `api_key` and `api_secret` matched.
 */
export interface VonageEmulatorRequest extends kit.VendorEmulatorRequest {}

export interface VonageEmulatorOptions {
  /** API key the emulator accepts in `api_key`. Default `"test-api-key"`. */
  apiKey?: string;
  /** API secret the emulator accepts in `api_secret`. Default `"test-api-secret"`. */
  apiSecret?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://rest.nexmo.com`. */
  baseUrl?: string;
  /** Signs the DLRs `deliver()` sends (`timestamp`, `nonce`, `sig`) with this secret. @default unsigned */
  signatureSecret?: string;
  /** The signature method for `signatureSecret`. @default "md5hash" */
  signatureAlgorithm?: VonageSignatureAlgorithm;
  /** How `deliver()` sends DLRs, as the dashboard's setting. @default "POST-JSON" */
  dlrFormat?: 'GET' | 'POST' | 'POST-JSON';
}

/** What `deliver()` puts in the DLR beside the message id and status: `errorCode` is its `err-code` (default `"2"`; `"0"` for `delivered`). */
export type VonageDeliverOptions = kit.VendorDeliverOptions;

/**
 * An emulator of Vonage's SMS API: see `createVonageEmulator`. `accepted(to)` takes the recipient with
 * or without `+`; `reset()` also restores the balance. Its `deliver(messageId, status, options)` plays
 * Vonage's delivery receipt for a part the emulator accepted: sends the DLR fields (`messageId`,
 * `msisdn`, `to`, `status`, `err-code`, `network-code`, `price`, `scts`, `message-timestamp`,
 * `client-ref`, `api-key`) to the message's `callback` over a real socket, in `dlrFormat`, signed with
 * `signatureSecret` when given, and resolves with the status the app answered. `status` is Vonage's
 * (`delivered`, `failed`, `expired`, `rejected`, `undelivered`, `accepted`, `buffered`).
 * `INVALID_INPUT` for a message id the emulator did not issue, or a message sent without `callback`.
 */
export interface VonageEmulator
  extends kit.VendorEmulator<VonageEmulatorFault, VonageEmulatorRequest, HttpHandler>,
    kit.VendorDeliveries<VonageDeliverOptions> {}

/** A running emulator server. */
export type VonageEmulatorServer = kit.EmulatorServer;

/** What the emulator keeps of an accepted part for its DLR: the send's form. */
type Sent = { callbackUrl: string | undefined; form: Record<string, string> };
type Context = kit.VendorRequestContext<Sent>;

const TYPES = new Set(['text', 'unicode', 'binary', 'wappush', 'vcal', 'vcard']);
const PRICE = 0.0333;
const BALANCE = 100;
const NETWORK = '23410';
const json = kit.jsonResponse;
const NOT_FOUND = { type: 'NOT_FOUND', title: 'Not Found' };
const DLR_FORMATS = { GET: { method: 'GET' }, POST: {}, 'POST-JSON': { encoding: 'json' } } as const;

/**
 * An emulator of Vonage's SMS API, `POST /sms/json`, for apps' tests: msw handlers that read the form,
 * check `api_key` and `api_secret` (status `4` "Bad Credentials" in an HTTP 200 otherwise, as Vonage
 * answers), check the fields, and answer a good request with a body of Vonage's shape: one
 * `messages[]` entry per part of the text (160 GSM-7 characters in one part, 153 per part beyond; 70
 * and 67 with `type=unicode`), each with a fresh 16-hex-digit `message-id`. It can be told to fail the
 * next requests.
 */
export function createVonageEmulator(options: VonageEmulatorOptions = {}): VonageEmulator {
  const apiKey = options.apiKey ?? 'test-api-key';
  const apiSecret = options.apiSecret ?? 'test-api-secret';
  const baseUrl = options.baseUrl ?? VONAGE_DEFAULT_BASE_URL;
  let balance = BALANCE;

  /** A part Vonage accepted, charged to the balance. */
  function accept({ form, remember }: Context): Record<string, string> {
    balance -= PRICE;
    const messageId = randomBytes(8).toString('hex').toUpperCase();
    remember(messageId, { callbackUrl: form.callback, form });
    return {
      to: form.to ?? '',
      'message-id': messageId,
      status: '0',
      'remaining-balance': balance.toFixed(8),
      'message-price': PRICE.toFixed(8),
      network: NETWORK,
    };
  }

  /** Vonage's answer to a send: one entry per part of the text, each accepted but `failed.part` (from 1). */
  function reply(context: Context, failed?: { part: number; entry: object }): Response {
    const { text = '', type } = context.form;
    const parts = Math.max(failed?.part ?? 1, kit.smsParts(text, type === 'unicode'));
    const messages = Array.from({ length: parts }, (_, index) =>
      index === (failed?.part ?? 0) - 1 ? failed?.entry : accept(context),
    );
    return json(200, { 'message-count': String(parts), messages });
  }

  return kit.createVendorEmulator({
    http,
    provider: 'vonage',
    baseUrl,
    routes: ['/sms/*'],
    redact: { headers: ['authorization'], fields: ['api_secret'] },
    authorize: (_request, form) => form.api_key === apiKey && form.api_secret === apiSecret,
    recipientKey: (to) => to.replace(/^\+/, ''),
    onReset() {
      balance = BALANCE;
    },
    fault(fault, context) {
      switch (fault.kind) {
        case 'rate-limit':
          return json(429, failure('1', 'Throttled'), { retryAfter: fault.retryAfter });
        case 'unavailable':
          return json(fault.status ?? 503, failure('5', 'Internal Error'));
        case 'status': {
          if (fault.status === '0') return undefined;
          const entry = { status: fault.status, 'error-text': fault.errorText ?? errorTextOf(fault.status) };
          return reply(context, { part: Math.max(1, Math.trunc(fault.part ?? 1)), entry });
        }
        case 'error':
          return json(fault.status ?? 200, failure(fault.code, fault.message ?? errorTextOf(fault.code)));
      }
    },
    answer(context) {
      const { request, path, form, authorized } = context;
      if (request.method !== 'POST' || path !== '/sms/json') return json(404, NOT_FOUND);
      const refusal = check(form, authorized);
      if (refusal) return json(200, failure(...refusal));
      context.accept(form.to!);
      return reply(context);
    },
    callback({ id, callbackUrl, form }: kit.VendorSentMessage<Sent>, status, { errorCode }) {
      const iso = new Date().toISOString();
      const fields: Record<string, string> = {
        'api-key': apiKey,
        'err-code': errorCode ?? (status.toLowerCase() === 'delivered' ? '0' : '2'),
        'message-timestamp': `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
        messageId: id,
        msisdn: form.to ?? '',
        'network-code': NETWORK,
        price: PRICE.toFixed(8),
        scts: iso.slice(2, 16).replace(/[-T:]/g, ''),
        status,
        to: form.from ?? '',
      };
      if (form['client-ref'] !== undefined) fields['client-ref'] = form['client-ref'];
      if (options.signatureSecret !== undefined) {
        fields.timestamp = String(Math.floor(Date.parse(iso) / 1000));
        fields.nonce = randomBytes(8).toString('hex');
        const algorithm = options.signatureAlgorithm ?? 'md5hash';
        fields.sig = signVonageParams(fields, { secret: options.signatureSecret, algorithm });
      }
      return kit.fieldCallback(callbackUrl, fields, DLR_FORMATS[options.dlrFormat ?? 'POST-JSON']);
    },
  });
}

/** Vonage's checks of a send, in its order: credentials, missing fields, invalid fields. */
function check(form: Record<string, string>, authorized: boolean): [string, string] | undefined {
  const { sig, api_key, api_secret, ttl, callback } = form;
  if (sig !== undefined && api_secret !== undefined) return ['32', 'Signature and API secret disallowed'];
  if (!api_key) return ['2', 'Missing api_key'];
  // The emulator takes no signed requests: a sig without a secret does not verify.
  if (sig !== undefined) return ['14', 'Invalid Signature'];
  if (!api_secret) return ['2', 'Missing api_secret'];
  if (!authorized) return ['4', 'Bad Credentials'];
  const missing = ['from', 'to', 'text'].find((field) => !form[field]);
  if (missing) return ['2', `Missing ${missing} param`];
  if (!/^\d{7,15}$/.test(form.to!)) return ['3', 'Invalid to param'];
  if (form.type !== undefined && !TYPES.has(form.type)) return ['3', 'Invalid type param'];
  const { min, max } = VONAGE_TTL_RANGE_MS;
  const ms = Number(ttl);
  if (ttl !== undefined && !(Number.isInteger(ms) && ms >= min && ms <= max))
    return ['3', 'Invalid ttl param'];
  if (callback !== undefined && !/^https?:\/\//.test(callback)) return ['23', 'Invalid Callback Url'];
  return undefined;
}

function errorTextOf(status: string): string {
  if (status === '4') return 'Bad Credentials';
  return Object.hasOwn(VONAGE_ERROR_CODES, status) ? VONAGE_ERROR_CODES[status]!.name : 'Error';
}

/** Vonage's failure body: one entry with the status and its text, no message-id. */
function failure(status: string, text: string) {
  return { 'message-count': '1', messages: [{ status, 'error-text': text }] };
}
