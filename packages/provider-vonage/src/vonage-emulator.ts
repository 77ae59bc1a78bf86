import { randomBytes } from 'node:crypto';
import { OtpError } from '@otpkit/core';
import { GSM7_CHARSET } from '@otpkit/core/http';
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
  | CommonEmulatorFault;

/**
 * One request the emulator received: `authorization` and `api_secret` (in the form and the query) as
 * `[redacted]`; `authorized` when `api_key` and `api_secret` matched.
 */
export interface VonageEmulatorRequest extends VendorEmulatorRequest {}

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

/**
 * An emulator of Vonage's SMS API: see `createVonageEmulator`. `accepted(to)` takes the recipient with
 * or without `+`; `reset()` also restores the balance.
 */
export interface VonageEmulator
  extends VendorEmulator<VonageEmulatorFault, VonageEmulatorRequest, HttpHandler> {
  /**
   * Plays Vonage's delivery receipt for a part the emulator accepted: sends the DLR fields (`messageId`,
   * `msisdn`, `to`, `status`, `err-code`, `network-code`, `price`, `scts`, `message-timestamp`,
   * `client-ref`, `api-key`) to the message's `callback` over a real socket, in `dlrFormat`, signed with
   * `signatureSecret` when given, and resolves with the status the app answered. `status` is Vonage's
   * (`delivered`, `failed`, `expired`, `rejected`, `undelivered`, `accepted`, `buffered`).
   * `INVALID_INPUT` for a message id the emulator did not issue, or a message sent without `callback`.
   */
  deliver(
    messageId: string,
    status: 'delivered' | 'undelivered' | 'failed' | 'expired' | 'rejected' | (string & {}),
    options?: { errorCode?: string },
  ): Promise<{ status: number }>;
}

/** A running emulator server. */
export type VonageEmulatorServer = EmulatorServer;

const TYPES = new Set(['text', 'unicode', 'binary', 'wappush', 'vcal', 'vcard']);
const PRICE = 0.0333;
const BALANCE = 100;
const NETWORK = '23410';
const EXTENSION = new Set(GSM7_CHARSET.extension);

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
  const endpoint = `${new URL(baseUrl).pathname.replace(/\/+$/, '')}/sms/json`;
  let balance = BALANCE;
  /** Accepted parts by message id: where and about whom Vonage would report. */
  const sent = new Map<string, { form: Record<string, string> }>();

  /** A part Vonage accepted, charged to the balance. */
  function accept(to: string, form: Record<string, string>): Record<string, string> {
    balance -= PRICE;
    const messageId = randomBytes(8).toString('hex').toUpperCase();
    sent.set(messageId, { form });
    return {
      to,
      'message-id': messageId,
      status: '0',
      'remaining-balance': balance.toFixed(8),
      'message-price': PRICE.toFixed(8),
      network: NETWORK,
    };
  }

  const emulator = createVendorEmulator<VonageEmulatorFault, VonageEmulatorRequest, HttpHandler>({
    http,
    baseUrl,
    routes: ['/sms/*'],
    redact: { headers: ['authorization'], fields: ['api_secret'] },
    authorize: (_request, form) => form.api_key === apiKey && form.api_secret === apiSecret,
    recipientKey: (to) => to.replace(/^\+/, ''),
    onReset() {
      balance = BALANCE;
      sent.clear();
    },
    fault(fault, { form }) {
      switch (fault.kind) {
        case 'rate-limit':
          return json(429, failure('1', 'Throttled'), { retryAfter: fault.retryAfter });
        case 'unavailable':
          return json(fault.status ?? 503, failure('5', 'Internal Error'));
        case 'status': {
          if (fault.status === '0') return undefined;
          const part = Math.max(1, Math.trunc(fault.part ?? 1));
          const parts = Math.max(part, partsOf(form.text ?? '', form.type === 'unicode'));
          const to = form.to ?? '';
          const messages = Array.from({ length: parts }, (_, index) =>
            index === part - 1
              ? { status: fault.status, 'error-text': fault.errorText ?? errorTextOf(fault.status) }
              : accept(to, form),
          );
          return json(200, { 'message-count': String(parts), messages });
        }
        case 'error':
          return json(fault.status ?? 200, failure(fault.code, fault.message ?? errorTextOf(fault.code)));
      }
    },
    answer({ request, url, form, authorized, accept: count }) {
      if (request.method !== 'POST' || url.pathname !== endpoint) {
        return json(404, { type: 'NOT_FOUND', title: 'Not Found' });
      }
      const refusal = check(form, authorized);
      if (refusal) return json(200, failure(refusal.status, refusal.text));
      const to = form.to!;
      count(to);
      const parts = partsOf(form.text!, form.type === 'unicode');
      return json(200, {
        'message-count': String(parts),
        messages: Array.from({ length: parts }, () => accept(to, form)),
      });
    },
  });

  async function deliver(messageId: string, status: string, extra: { errorCode?: string } = {}) {
    const form = sent.get(messageId)?.form;
    if (form?.callback === undefined) {
      throw new OtpError(
        'INVALID_INPUT',
        'messageId: expected the message-id of a part this emulator accepted with a callback',
        { provider: 'vonage' },
      );
    }
    const now = new Date();
    const iso = now.toISOString();
    const fields: Record<string, string> = {
      'api-key': apiKey,
      'err-code': extra.errorCode ?? (status.toLowerCase() === 'delivered' ? '0' : '2'),
      'message-timestamp': `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
      messageId,
      msisdn: form.to ?? '',
      'network-code': NETWORK,
      price: PRICE.toFixed(8),
      scts: iso.slice(2, 16).replace(/[-T:]/g, ''),
      status,
      to: form.from ?? '',
    };
    if (form['client-ref'] !== undefined) fields['client-ref'] = form['client-ref'];
    if (options.signatureSecret !== undefined) {
      fields.timestamp = String(Math.floor(now.getTime() / 1000));
      fields.nonce = randomBytes(8).toString('hex');
      fields.sig = signVonageParams(fields, {
        secret: options.signatureSecret,
        ...(options.signatureAlgorithm === undefined ? {} : { algorithm: options.signatureAlgorithm }),
      });
    }
    const format = options.dlrFormat ?? 'POST-JSON';
    if (format === 'GET') {
      const url = new URL(form.callback);
      for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
      return sendVendorCallback({ method: 'GET', url: url.toString() });
    }
    return sendVendorCallback({
      method: 'POST',
      url: form.callback,
      headers: {
        'content-type': format === 'POST' ? 'application/x-www-form-urlencoded' : 'application/json',
      },
      body: format === 'POST' ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
    });
  }
  return Object.assign(emulator, { deliver });
}

/** Vonage's checks of a send, in its order: credentials, missing fields, invalid fields. */
function check(
  form: Record<string, string>,
  authorized: boolean,
): { status: string; text: string } | undefined {
  if (form.sig !== undefined && form.api_secret !== undefined) {
    return { status: '32', text: 'Signature and API secret disallowed' };
  }
  if (!form.api_key) return { status: '2', text: 'Missing api_key' };
  // The emulator takes no signed requests: a sig without a secret does not verify.
  if (form.sig !== undefined) return { status: '14', text: 'Invalid Signature' };
  if (!form.api_secret) return { status: '2', text: 'Missing api_secret' };
  if (!authorized) return { status: '4', text: 'Bad Credentials' };
  for (const field of ['from', 'to', 'text'] as const) {
    if (!form[field]) return { status: '2', text: `Missing ${field} param` };
  }
  if (!/^\d{7,15}$/.test(form.to!)) return { status: '3', text: 'Invalid to param' };
  if (form.type !== undefined && !TYPES.has(form.type)) return { status: '3', text: 'Invalid type param' };
  if (form.ttl !== undefined) {
    const ttl = Number(form.ttl);
    if (!Number.isInteger(ttl) || ttl < VONAGE_TTL_RANGE_MS.min || ttl > VONAGE_TTL_RANGE_MS.max) {
      return { status: '3', text: 'Invalid ttl param' };
    }
  }
  if (form.callback !== undefined && !/^https?:\/\//.test(form.callback)) {
    return { status: '23', text: 'Invalid Callback Url' };
  }
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

/** How many SMS parts the text takes: GSM-7 septets (extension characters count two), or UCS-2 units. */
function partsOf(text: string, unicode: boolean): number {
  let size = 0;
  if (unicode) size = text.length;
  else for (const character of text) size += EXTENSION.has(character) ? 2 : 1;
  const [single, each] = unicode ? [70, 67] : [160, 153];
  return size <= single ? 1 : Math.ceil(size / each);
}
