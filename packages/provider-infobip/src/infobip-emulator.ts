import { randomUUID } from 'node:crypto';
import { OtpError } from '@otpkit/core';
import {
  type CommonEmulatorFault,
  createVendorEmulator,
  type EmulatorServer,
  jsonResponse as json,
  sendVendorCallback,
  serveFetchHandler,
  type VendorEmulator,
  type VendorEmulatorRequest,
} from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { INFOBIP_EXAMPLE_BASE_URL } from './infobip-options.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type InfobipEmulatorFault =
  /** HTTP 429 with an `E429` body, with `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with an `E500` body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /**
   * A v3 error body `{ errorCode: code, description: message }`, default status 400. With `status: 200`,
   * Infobip's trap: an accepted reply whose message is in the `REJECTED` group, `code` its status name
   * (e.g. `REJECTED_NOT_ENOUGH_CREDITS`).
   */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the `authorization` header redacted. */
export interface InfobipEmulatorRequest extends VendorEmulatorRequest {
  /** The JSON body as sent (the `form` of a nested body holds only its top-level fields). */
  body: unknown;
}

export interface InfobipEmulatorOptions {
  /** API key the emulator accepts as `Authorization: App <key>`. Default `"test-api-key"`. */
  apiKey?: string;
  /** The account's base URL the msw handlers intercept; match the provider's. Default `https://xxxxx.api.infobip.com`. */
  baseUrl?: string;
}

/** An emulator of Infobip's SMS API v3: see `createInfobipEmulator`. */
export interface InfobipEmulator
  extends VendorEmulator<InfobipEmulatorFault, InfobipEmulatorRequest, HttpHandler> {
  /**
   * Plays Infobip's delivery report for an accepted message: POSTs `{ results: [report] }` to the
   * message's `webhooks.delivery.url` over a real socket (unsigned: Infobip signs nothing), with the
   * status `name` given (its group from the prefix, e.g. `DELIVERED_TO_HANDSET` → `DELIVERED`), and
   * resolves with the status the app answered. `INVALID_INPUT` for a message id it did not issue, or a
   * message sent without a delivery URL.
   */
  deliver(
    messageId: string,
    status: string,
    options?: { error?: string; permanent?: boolean },
  ): Promise<{ status: number }>;
}

/** A running emulator server (`listen()`). */
export type InfobipEmulatorServer = EmulatorServer;

/** The part of a message the emulator reads. */
type Message = {
  sender?: string;
  destinations?: { to?: unknown }[];
  content?: { text?: unknown };
  webhooks?: { delivery?: { url?: string }; callbackData?: string };
};

const GROUPS = ['ACCEPTED', 'PENDING', 'UNDELIVERABLE', 'DELIVERED', 'EXPIRED', 'REJECTED'];
const statusOf = (name: string, description = name, id = 0) => {
  const groupName = name.split('_')[0]!;
  return { groupId: Math.max(1, GROUPS.indexOf(groupName)), groupName, id, name, description };
};
const apiError = (errorCode: string, description: string) => ({ errorCode, description });

/**
 * An emulator of Infobip's `POST /sms/3/messages` for apps' tests: msw handlers (and `listen()`) that
 * check `Authorization: App <key>` (401 `E401` otherwise), read the JSON, refuse a bad request with 400
 * `E400` and its violations, answer a good one with HTTP 200 and one `PENDING_ACCEPTED` entry with a
 * fresh `messageId`, and can be told to fail the next requests (including Infobip's `REJECTED` group
 * inside a 200).
 */
export function createInfobipEmulator(options: InfobipEmulatorOptions = {}): InfobipEmulator {
  const apiKey = options.apiKey ?? 'test-api-key';
  const baseUrl = (options.baseUrl ?? INFOBIP_EXAMPLE_BASE_URL).replace(/\/+$/, '');
  const endpoint = `${new URL(baseUrl).pathname.replace(/\/+$/, '')}/sms/3/messages`;
  const bodies = new WeakMap<Request, unknown>();
  const sent = new Map<string, Message>();
  const emulator = createVendorEmulator<InfobipEmulatorFault, InfobipEmulatorRequest, HttpHandler>({
    http,
    baseUrl,
    routes: ['/sms/*'],
    redact: { headers: ['authorization'] },
    recipientKey: (to) => to.replace(/^\+/, ''),
    authorize: (request) => request.headers.get('authorization') === `App ${apiKey}`,
    describe: (request) => ({ body: bodies.get(request) }),
    onReset: () => sent.clear(),
    fault(fault) {
      switch (fault.kind) {
        case 'rate-limit':
          return json(429, apiError('E429', 'Too many requests'), { retryAfter: fault.retryAfter });
        case 'unavailable':
          return json(fault.status ?? 503, apiError('E500', 'Something went wrong'));
        case 'error':
          if (fault.status !== 200) {
            return json(fault.status ?? 400, apiError(fault.code, fault.message ?? `Error ${fault.code}`));
          }
          return json(200, {
            messages: [
              {
                messageId: randomUUID(),
                status: { ...statusOf(fault.code, fault.message), groupId: 5, groupName: 'REJECTED' },
              },
            ],
          });
      }
    },
    answer({ request, url, authorized, accept }) {
      if (!authorized) return json(401, apiError('E401', 'Invalid login details'));
      if (request.method !== 'POST' || url.pathname !== endpoint)
        return json(404, apiError('E404', 'Not found'));
      const body = bodies.get(request) as { messages?: Message[] } | undefined;
      const message = body?.messages?.[0];
      const to = message?.destinations?.[0]?.to;
      const violation =
        typeof to !== 'string' || !/^\d{7,15}$/.test(to)
          ? 'messages[0].destinations[0].to'
          : typeof message?.content?.text !== 'string' || message.content.text === ''
            ? 'messages[0].content.text'
            : undefined;
      if (violation)
        return json(400, apiError('E400', `Request cannot be processed: ${violation} is invalid`));
      accept(to as string);
      const messageId = randomUUID();
      sent.set(messageId, message!);
      const status = statusOf('PENDING_ACCEPTED', 'Message sent to next instance', 26);
      const entry = { messageId, status, destination: to, details: { messageCount: 1 } };
      return json(200, { bulkId: randomUUID(), messages: [entry] });
    },
  });

  const answerAsInfobip = emulator.handle;
  /** Reads the JSON body before the kit does, so that nested fields reach `answer` and the records. */
  async function handle(request: Request): Promise<Response> {
    const copy = request.clone();
    bodies.set(request, await copy.json().catch(() => undefined));
    return answerAsInfobip(request);
  }

  async function deliver(
    messageId: string,
    status: string,
    options: { error?: string; permanent?: boolean } = {},
  ) {
    const message = sent.get(messageId);
    const url = message?.webhooks?.delivery?.url;
    if (url === undefined) {
      const expected = 'messageId: expected the id of a message this emulator accepted with a delivery URL';
      throw new OtpError('INVALID_INPUT', expected, { provider: 'infobip' });
    }
    const name = options.error ?? (/^(DELIVERED|PENDING)/.test(status) ? 'NO_ERROR' : 'EC_ABSENT_SUBSCRIBER');
    const [groupId, groupName] = name === 'NO_ERROR' ? [0, 'OK'] : [1, 'HANDSET_ERRORS'];
    const error = {
      groupId,
      groupName,
      id: 0,
      name,
      description: name,
      permanent: options.permanent ?? false,
    };
    const now = new Date().toISOString().replace('Z', '+0000');
    const to = message!.destinations![0]!.to;
    const { sender, webhooks } = message!;
    const report = { bulkId: randomUUID(), messageId, to, sender, sentAt: now, doneAt: now, messageCount: 1 };
    const results = [{ ...report, status: statusOf(status), error, callbackData: webhooks?.callbackData }];
    const headers = { 'content-type': 'application/json' };
    return sendVendorCallback({ method: 'POST', url, headers, body: JSON.stringify({ results }) });
  }

  return Object.assign(emulator, {
    handlers: [http.all(`${baseUrl}/sms/*`, ({ request }) => handle(request))],
    handle,
    listen: (serve?: { host?: string; port?: number }) => serveFetchHandler(handle, serve),
    deliver,
  });
}
