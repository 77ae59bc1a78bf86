import { randomBytes } from 'node:crypto';
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
import { TWILIO_DEFAULT_BASE_URL } from './twilio-options.js';
import { computeTwilioSignature } from './twilio-signature.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type TwilioEmulatorFault =
  /** 429 with Twilio's `20429` body, and `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with Twilio's `20500` body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /** A Twilio error body (`{ code, message, more_info, status }`), e.g. `{ code: 21211 }`. Default status 400. */
  | { kind: 'error'; code: number; message?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the `authorization` header redacted. */
export interface TwilioEmulatorRequest extends VendorEmulatorRequest {
  /** Which credentials matched: the account's Auth Token or the API key. */
  auth: 'auth-token' | 'api-key' | undefined;
}

export interface TwilioEmulatorOptions {
  /** Account SID the emulator serves (in the path). Default `"AC"` followed by 32 zeros. */
  accountSid?: string;
  /** Auth Token accepted with `accountSid` as HTTP Basic credentials. Default `"test-auth-token"`. */
  authToken?: string;
  /** API key SID accepted (with `apiKeySecret`) as HTTP Basic credentials. Default: none. */
  apiKeySid?: string;
  /** Secret of `apiKeySid`. Default: none. */
  apiKeySecret?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://api.twilio.com`. */
  baseUrl?: string;
}

/** What `deliver()` puts in the callback beside the sid and status. */
export interface TwilioDeliverOptions {
  /** `ErrorCode`. @default "30003" (unreachable handset) for `undelivered` and `failed`, none otherwise */
  errorCode?: string;
}

/**
 * An emulator of Twilio's API: see `createTwilioEmulator`. Its `deliver(messageId, status, options)`
 * plays Twilio's status callback for an accepted message: POSTs the form Twilio sends (`MessageSid`,
 * `MessageStatus`, `To`, `From`, `AccountSid`, `ErrorCode` for `undelivered` and `failed`) to the
 * message's `StatusCallback` over a real socket, signed with `X-Twilio-Signature` by the Auth Token,
 * and resolves with the status the app answered. `INVALID_INPUT` for a message id the emulator did not
 * issue, or a message sent without a `StatusCallback`.
 */
export interface TwilioEmulator
  extends VendorEmulator<TwilioEmulatorFault, TwilioEmulatorRequest, HttpHandler>,
    VendorDeliveries<TwilioDeliverOptions> {}

/** A running emulator server. */
export type TwilioEmulatorServer = EmulatorServer;

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * An emulator of Twilio's `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` for apps' tests: msw
 * handlers that check HTTP Basic auth (the Auth Token or an API key; 401 with Twilio's `20003` body
 * otherwise), read the form, refuse what Twilio refuses with its error body
 * (`{ code, message, more_info, status }`), answer a good request with 201 and a Message resource
 * (a fresh `SM` sid, RFC 2822 dates), and can be told to fail the next requests.
 */
export function createTwilioEmulator(options: TwilioEmulatorOptions = {}): TwilioEmulator {
  const accountSid = options.accountSid ?? `AC${'0'.repeat(32)}`;
  const authToken = options.authToken ?? 'test-auth-token';
  function authOf(request: Request): TwilioEmulatorRequest['auth'] {
    const { user, password } = basicCredentials(request) ?? {};
    if (user === accountSid && password === authToken) return 'auth-token';
    if (options.apiKeySid !== undefined && user === options.apiKeySid && password === options.apiKeySecret) {
      return 'api-key';
    }
    return undefined;
  }

  return createVendorEmulator<
    TwilioEmulatorFault,
    TwilioEmulatorRequest,
    HttpHandler,
    { callbackUrl: string | undefined; to: string; from: string | undefined },
    TwilioDeliverOptions
  >({
    http,
    provider: 'twilio',
    baseUrl: options.baseUrl ?? TWILIO_DEFAULT_BASE_URL,
    routes: ['/2010-04-01/*'],
    redact: { headers: ['authorization'] },
    authorize: (request) => authOf(request) !== undefined,
    describe: (request) => ({ auth: authOf(request) }),
    fault(fault) {
      switch (fault.kind) {
        case 'rate-limit':
          return error(429, 20429, 'Too Many Requests', fault.retryAfter);
        case 'unavailable':
          return error(fault.status ?? 503, 20500, 'Internal Server Error');
        case 'error':
          return error(fault.status ?? 400, fault.code, fault.message ?? `Twilio error ${fault.code}`);
      }
    },
    answer({ request, url, form, authorized, accept, remember }) {
      const route = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
      if (!route || request.method !== 'POST') {
        // 20404: Twilio's "resource not found" (not in our notes).
        return error(404, 20404, `The requested resource ${url.pathname} was not found`);
      }
      // Credentials work only for their own account.
      if (!authorized || route[1] !== accountSid) return error(401, 20003, 'Authenticate');

      const to = form.To;
      if (!to) return error(400, 21604, "A 'To' phone number is required.");
      if (!E164.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      // 21603 and 21602 are Twilio's codes for a missing From and Body (not in our notes).
      if (!form.From && !form.MessagingServiceSid) {
        return error(400, 21603, "A 'From' phone number is required.");
      }
      if (!form.Body) return error(400, 21602, 'Message body is required.');
      // 21617 for a body over 1600 characters is uncertain.
      if (form.Body.length > 1600) {
        return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      }
      if (form.StatusCallback !== undefined && !validCallback(form.StatusCallback)) {
        return error(400, 21609, 'Invalid StatusCallback url');
      }

      accept(to);
      const sid = `SM${randomBytes(16).toString('hex')}`;
      remember(sid, { to, from: form.From, callbackUrl: form.StatusCallback });
      // `"Thu, 30 Jul 2015 20:12:31 +0000"`: Twilio's date format (RFC 2822).
      const now = new Date().toUTCString().replace(/GMT$/, '+0000');
      const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
      return json(201, {
        account_sid: accountSid,
        api_version: '2010-04-01',
        body: form.Body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        num_media: '0',
        num_segments: String(form.Body.length <= 160 ? 1 : Math.ceil(form.Body.length / 153)),
        price: null,
        price_unit: null,
        sid,
        // With a Messaging Service, Twilio starts at "accepted"; without one, at "queued".
        status: form.MessagingServiceSid ? 'accepted' : 'queued',
        subresource_uris: { media: `${uri}/Media.json` },
        to,
        uri: `${uri}.json`,
      });
    },
    callback({ id, callbackUrl, to, from }, status, { errorCode }) {
      const fields: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        MessageSid: id,
        MessageStatus: status,
        SmsSid: id,
        SmsStatus: status,
        To: to,
      };
      if (from !== undefined) fields.From = from;
      const code = errorCode ?? (status === 'undelivered' || status === 'failed' ? '30003' : undefined);
      if (code !== undefined) fields.ErrorCode = code;
      return fieldCallback(callbackUrl, fields, {
        headers: {
          'x-twilio-signature': computeTwilioSignature(authToken, callbackUrl, fields),
          'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
        },
      });
    },
  });
}

/** The StatusCallback rules Twilio documents for 21609: an http(s) URL, no `_` in the host, 4000 characters at most. */
function validCallback(value: string): boolean {
  const url = value.length <= 4000 && URL.canParse(value) ? new URL(value) : undefined;
  return (url?.protocol === 'https:' || url?.protocol === 'http:') && !url.hostname.includes('_');
}

/** Twilio's error body: `{ code, message, more_info, status }`. */
function error(status: number, code: number, message: string, retryAfter?: string | number): Response {
  const body = { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
  return json(status, body, { retryAfter });
}
