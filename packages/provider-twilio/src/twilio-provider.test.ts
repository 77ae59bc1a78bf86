import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  createDispatcher,
  isOtpError,
  type OtpError,
  type RetryingEvent,
  type SentEvent,
} from '@otpkit/core';
import { assertNoSecrets } from '@otpkit/provider-conformance';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioEmulator } from './testing.js';
import { TWILIO_ERROR_CODES } from './twilio-errors.js';
import type { TwilioProviderOptions } from './twilio-options.js';
import { createTwilioProvider, parseTwilioDate } from './twilio-provider.js';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'provider-test-auth-token-7a6b5c';
const API_KEY_SID = `SK${'fedcba9876543210'.repeat(2)}`;
const API_KEY_SECRET = 'provider-test-api-key-secret-31';
const MG = `MG${'00112233445566778899aabbccddeeff'}`;
const FROM = '+15017122661';
const TO = '+15558675310';
const BODY = 'Your code is 482913';
const ENDPOINT = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const SUCCESS = fixture('send-success.json');
const ERROR_21211 = fixture('send-error-21211.json');

const emulator = createTwilioEmulator({
  accountSid: ACCOUNT_SID,
  authToken: AUTH_TOKEN,
  apiKeySid: API_KEY_SID,
  apiKeySecret: API_KEY_SECRET,
});
const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

const provider = (options: Partial<TwilioProviderOptions> = {}) =>
  createTwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, ...options });
const apiKeyProvider = (options: Partial<TwilioProviderOptions> = {}) =>
  createTwilioProvider({
    accountSid: ACCOUNT_SID,
    apiKeySid: API_KEY_SID,
    apiKeySecret: API_KEY_SECRET,
    from: FROM,
    ...options,
  });
const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/** Awaits a send that must fail and returns its `OtpError`. */
async function failure(pending: Promise<unknown>): Promise<OtpError> {
  const outcome = await pending.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${inspect(outcome.value)}`);
  if (!isOtpError(outcome.error)) throw new Error(`expected an OtpError, got ${inspect(outcome.error)}`);
  return outcome.error;
}

/** Serves one reply to the next send: a text as is, or an object as JSON. */
function serve(status: number, body: string | object, headers: Record<string, string> = {}) {
  server.use(
    http.post(
      ENDPOINT,
      () =>
        new HttpResponse(typeof body === 'string' ? body : JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json', ...headers },
        }),
      { once: true },
    ),
  );
}

interface Captured {
  method: string;
  url: string;
  headers: Headers;
  text: string;
}

/** Records every raw request (credentials unredacted) and answers with the docs' Message resource. */
function capture(url = ENDPOINT): Captured[] {
  const seen: Captured[] = [];
  server.use(
    http.all(url, async ({ request }) => {
      seen.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        text: await request.text(),
      });
      return new HttpResponse(SUCCESS, { status: 201, headers: { 'content-type': 'application/json' } });
    }),
  );
  return seen;
}

/** The fields of a form body, in order, duplicates kept. */
const fields = (text: string) => [...new URLSearchParams(text)];

describe('the request', () => {
  it('POST /2010-04-01/Accounts/{AccountSid}/Messages.json, Basic account SID + Auth Token, To/From/Body', async () => {
    const seen = capture();
    await provider().send({ to: TO, body: BODY }, context());
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(ENDPOINT);
    expect(request.headers.get('authorization')).toBe(basic(ACCOUNT_SID, AUTH_TOKEN));
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded(;|$)/);
    expect(request.headers.get('accept')).toBe('application/json');
    expect(fields(request.text)).toEqual([
      ['To', TO],
      ['From', FROM],
      ['Body', BODY],
    ]);
    expect(request.text).toBe('To=%2B15558675310&From=%2B15017122661&Body=Your+code+is+482913');
  });

  it('with an API key: Basic API key SID + secret; the path still carries the account SID', async () => {
    const seen = capture();
    await apiKeyProvider().send({ to: TO, body: BODY }, context());
    const request = seen[0]!;
    expect(request.url).toBe(ENDPOINT);
    expect(request.headers.get('authorization')).toBe(basic(API_KEY_SID, API_KEY_SECRET));
    expect(request.headers.get('authorization')).not.toContain(Buffer.from(ACCOUNT_SID).toString('base64'));
    expect(fields(request.text)).toEqual([
      ['To', TO],
      ['From', FROM],
      ['Body', BODY],
    ]);
  });

  it('every field: StatusCallback from the message, ValidityPeriod from the options; nothing else', async () => {
    const seen = capture();
    await provider({ validityPeriodS: 300 }).send(
      {
        to: TO,
        body: BODY,
        callbackUrl: 'https://app.example.com/twilio/status?tenant=7',
        reference: 'login-42',
        templateId: '1107160000000000001',
      },
      context(),
    );
    expect(fields(seen[0]!.text)).toEqual([
      ['To', TO],
      ['From', FROM],
      ['Body', BODY],
      ['StatusCallback', 'https://app.example.com/twilio/status?tenant=7'],
      ['ValidityPeriod', '300'],
    ]);
    expect(seen[0]!.text).not.toContain('login-42');
    expect(seen[0]!.text).not.toContain('1107160000000000001');
  });

  it('MessagingServiceSid instead of From', async () => {
    const seen = capture();
    await provider({ from: undefined, messagingServiceSid: MG }).send({ to: TO, body: BODY }, context());
    expect(fields(seen[0]!.text)).toEqual([
      ['To', TO],
      ['MessagingServiceSid', MG],
      ['Body', BODY],
    ]);
  });

  it("a message's own sender is sent as From, instead of the from option or the Messaging Service", async () => {
    const seen = capture();
    await provider().send({ to: TO, body: BODY, sender: 'OTPKIT' }, context());
    await provider({ from: undefined, messagingServiceSid: MG }).send(
      { to: TO, body: BODY, sender: '+15005550006' },
      context(),
    );
    expect(fields(seen[0]!.text)).toEqual([
      ['To', TO],
      ['From', 'OTPKIT'],
      ['Body', BODY],
    ]);
    expect(fields(seen[1]!.text)).toEqual([
      ['To', TO],
      ['From', '+15005550006'],
      ['Body', BODY],
    ]);
  });

  it('the body goes byte for byte (spaces, symbols, emoji, new lines)', async () => {
    const seen = capture();
    const body = ' 482913 is your code\n— valid 5 min 🔐 & don’t share it ';
    await provider().send({ to: TO, body }, context());
    expect(new URLSearchParams(seen[0]!.text).get('Body')).toBe(body);
  });

  it('baseUrl: another host, with its path kept', async () => {
    const url = `https://proxy.example.com/twilio/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
    const seen = capture(url);
    await provider({ baseUrl: 'https://proxy.example.com/twilio/' }).send({ to: TO, body: BODY }, context());
    expect(seen[0]!.url).toBe(url);
  });

  it('the emulator sees the same form, with the credentials redacted', async () => {
    await apiKeyProvider().send({ to: TO, body: BODY }, context());
    expect(emulator.requests).toHaveLength(1);
    const request = emulator.requests[0]!;
    expect(request).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
      authorized: true,
      auth: 'api-key',
      form: { To: TO, From: FROM, Body: BODY },
    });
    expect(request.headers.authorization).toBe('[redacted]');
    const text = JSON.stringify(emulator.requests);
    expect(text).not.toContain(API_KEY_SECRET);
    expect(text).not.toContain(Buffer.from(`${API_KEY_SID}:${API_KEY_SECRET}`).toString('base64'));
  });

  it('a wrong message is INVALID_INPUT before any request', async () => {
    const error = await failure(provider().send({ to: '5551234567', body: BODY }, context()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('the receipt', () => {
  it("from the docs' Message resource: sid, date_created (RFC 2822), the whole reply as raw", async () => {
    serve(201, SUCCESS);
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt).toEqual({
      provider: 'twilio',
      messageId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      to: TO,
      acceptedAt: new Date(Date.UTC(2015, 6, 30, 20, 12, 31)),
      raw: JSON.parse(SUCCESS),
    });
  });

  it('from the emulator: a fresh SM sid each time, status queued, accepted with a Messaging Service', async () => {
    const before = Date.now() - 1000;
    const first = await provider().send({ to: TO, body: BODY }, context());
    const second = await provider().send({ to: TO, body: BODY }, context());
    expect(first.messageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(second.messageId).not.toBe(first.messageId);
    expect(first.acceptedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(first.acceptedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(first.raw).toMatchObject({ status: 'queued', from: FROM, to: TO, num_segments: '1' });
    const viaService = await provider({ from: undefined, messagingServiceSid: MG }).send(
      { to: TO, body: BODY },
      context(),
    );
    expect(viaService.raw).toMatchObject({ status: 'accepted', messaging_service_sid: MG, from: null });
    expect(emulator.accepted(TO)).toBe(3);
  });

  it.each([200, 201, 202])('any 2xx with a sid is a success (HTTP %i)', async (status) => {
    serve(status, { sid: 'SM0001' });
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt.messageId).toBe('SM0001');
  });

  it.each([
    ['missing', {}],
    ['null', { date_created: null }],
    ['ISO-like garbage', { date_created: '0' }],
    ['unreadable', { date_created: 'yesterday' }],
    ['a number', { date_created: 1438287151 }],
  ])('acceptedAt falls back to now when date_created is %s', async (_, extra) => {
    serve(201, { sid: 'SM0002', ...extra });
    const before = Date.now();
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt.acceptedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(receipt.acceptedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    ['no sid', { status: 'queued' }],
    ['an empty sid', { sid: '' }],
    ['a numeric sid', { sid: 12 }],
    ['an error body', { code: 21211, message: 'x', status: 400 }],
    ['an array', [{ sid: 'SM1' }]],
    ['null', null],
  ])('a 2xx with %s → INVALID_RESPONSE', async (_, body) => {
    serve(201, JSON.stringify(body));
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({
      code: 'INVALID_RESPONSE',
      retryable: false,
      provider: 'twilio',
      status: 201,
    });
  });

  it.each([
    ['HTML', '<html>OK</html>'],
    ['empty', ''],
    ['truncated JSON', '{"sid":"SM1"'],
  ])('a 2xx whose body is %s → INVALID_RESPONSE', async (_, text) => {
    serve(200, text);
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
  });
});

describe('parseTwilioDate', () => {
  it('reads RFC 2822 dates, with or without the day name and seconds', () => {
    const at = Date.UTC(2015, 6, 30, 20, 12, 31);
    expect(parseTwilioDate('Thu, 30 Jul 2015 20:12:31 +0000')?.getTime()).toBe(at);
    expect(parseTwilioDate('30 Jul 2015 20:12:31 +0000')?.getTime()).toBe(at);
    expect(parseTwilioDate('Thu, 30 Jul 2015 22:12:31 +0200')?.getTime()).toBe(at);
    expect(parseTwilioDate('Thu, 30 Jul 2015 20:12:31 GMT')?.getTime()).toBe(at);
    expect(parseTwilioDate('Thu, 30 Jul 2015 20:12 +0000')?.getTime()).toBe(at - 31_000);
  });

  it('refuses anything else', () => {
    for (const value of [
      '',
      '0',
      '2015-07-30T20:12:31Z',
      'Thu, 99 Foo 2015 20:12:31 +0000',
      null,
      1438287151,
    ]) {
      expect(parseTwilioDate(value), String(value)).toBeUndefined();
    }
  });
});

describe("errors: Twilio's code table", () => {
  it('holds exactly the rows of the notes', () => {
    expect(TWILIO_ERROR_CODES).toEqual({
      '20003': { code: 'AUTHENTICATION' },
      '20403': { code: 'AUTHENTICATION' },
      '20429': { code: 'RATE_LIMITED' },
      '20500': { code: 'PROVIDER_UNAVAILABLE' },
      '21211': { code: 'REJECTED' },
      '21604': { code: 'REJECTED' },
      '21606': { code: 'REJECTED' },
      '21608': { code: 'REJECTED' },
      '21609': { code: 'REJECTED' },
      '21610': { code: 'REJECTED' },
      '21612': { code: 'REJECTED' },
      '21614': { code: 'REJECTED' },
      '21617': { code: 'REJECTED' },
      '21635': { code: 'REJECTED' },
      '21408': { code: 'REJECTED' },
    });
    expect(Object.isFrozen(TWILIO_ERROR_CODES)).toBe(true);
  });

  // The documented status of each code; 21xxx are 400.
  const documented: Record<string, number> = { '20003': 401, '20403': 403, '20429': 429, '20500': 500 };
  const retryable = new Set(['RATE_LIMITED', 'PROVIDER_UNAVAILABLE']);

  it.each(Object.entries(TWILIO_ERROR_CODES))('%s at its documented status → %o', async (code, rule) => {
    const status = documented[code] ?? 400;
    emulator.failNext({ kind: 'error', code: Number(code), status, message: `Twilio says ${code}` });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({
      code: rule.code,
      retryable: retryable.has(rule.code),
      provider: 'twilio',
      providerCode: code,
      status,
    });
    expect(error.message).toContain(`Twilio says ${code}`);
    expect(error.message).toContain(`(${code}, HTTP ${status})`);
  });

  it.each(Object.entries(TWILIO_ERROR_CODES))('%s at HTTP 400 → %o (the row itself)', async (code, rule) => {
    emulator.failNext({ kind: 'error', code: Number(code), status: 400 });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: rule.code, providerCode: code, status: 400 });
  });

  it("the docs' 21211 reply, byte for byte → REJECTED with Twilio's text", async () => {
    serve(400, ERROR_21211);
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', retryable: false, providerCode: '21211', status: 400 });
    expect(error.message).toBe(
      "twilio: the vendor refused the message: The 'To' number 5551234567 is not a valid phone number. (21211, HTTP 400)",
    );
  });

  it('a code given as text is read too', async () => {
    serve(400, { code: '21610', message: 'Attempt to send to unsubscribed recipient', status: 400 });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', providerCode: '21610' });
  });

  it('an unknown code with a 4xx → REJECTED, code kept', async () => {
    emulator.failNext({ kind: 'error', code: 21999, status: 400 });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', providerCode: '21999', status: 400 });
  });

  it('a code that names no own row ("constructor", "__proto__") is no row', async () => {
    serve(400, { code: 'constructor', message: 'x' });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'REJECTED',
    });
    serve(400, { code: '__proto__', message: 'x' });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'REJECTED',
    });
  });
});

describe('errors: the HTTP status first, whatever the body', () => {
  it.each([
    [401, 'AUTHENTICATION', false],
    [403, 'AUTHENTICATION', false],
    [429, 'RATE_LIMITED', true],
    [500, 'PROVIDER_UNAVAILABLE', true],
    [502, 'PROVIDER_UNAVAILABLE', true],
    [503, 'PROVIDER_UNAVAILABLE', true],
    [504, 'PROVIDER_UNAVAILABLE', true],
  ] as const)('HTTP %i with a REJECTED code (21211) → %s', async (status, code, retryable) => {
    emulator.failNext({ kind: 'error', code: 21211, status });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code, retryable, status, providerCode: '21211' });
  });

  it.each([
    [401, 'AUTHENTICATION'],
    [403, 'AUTHENTICATION'],
    [429, 'RATE_LIMITED'],
    [500, 'PROVIDER_UNAVAILABLE'],
    [503, 'PROVIDER_UNAVAILABLE'],
  ] as const)('HTTP %i whose body is not JSON (a proxy page) → %s', async (status, code) => {
    emulator.failNext({ kind: 'malformed', status });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code, status });
    expect(error.providerCode).toBeUndefined();
  });

  it('wrong credentials: the emulator answers 401 with 20003 → AUTHENTICATION', async () => {
    const error = await failure(
      provider({ authToken: 'not-the-token' }).send({ to: TO, body: BODY }, context()),
    );
    expect(error).toMatchObject({
      code: 'AUTHENTICATION',
      retryable: false,
      status: 401,
      providerCode: '20003',
    });
    expect(error.message).toContain('Authenticate');
    expect(emulator.requests[0]).toMatchObject({ authorized: false, auth: undefined });
  });

  it("another account's SID in the path → 401 20003", async () => {
    const other = `AC${'9'.repeat(32)}`;
    server.use(
      http.post(`https://api.twilio.com/2010-04-01/Accounts/${other}/Messages.json`, ({ request }) =>
        emulator.handle(request),
      ),
    );
    const error = await failure(provider({ accountSid: other }).send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'AUTHENTICATION', providerCode: '20003' });
  });

  it('a 4xx with JSON and no code (404) → REJECTED', async () => {
    serve(404, { message: 'Not Found', status: 404 });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', status: 404 });
    expect(error.providerCode).toBeUndefined();
  });

  it('a 4xx whose body is not JSON → INVALID_RESPONSE (the shared order: an unreadable body before the table)', async () => {
    emulator.failNext({ kind: 'malformed', status: 400 });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', retryable: false, status: 400 });
  });
});

describe('errors: Retry-After', () => {
  it('429 with Retry-After in seconds → retryAfterMs', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: 7 });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 7000,
      providerCode: '20429',
    });
  });

  it('429 with Retry-After as an HTTP date → retryAfterMs from now', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('429 without Retry-After → no retryAfterMs', async () => {
    emulator.failNext({ kind: 'rate-limit' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('503 with Retry-After → PROVIDER_UNAVAILABLE with retryAfterMs', async () => {
    serve(503, { code: 20500, message: 'Internal Server Error', status: 503 }, { 'retry-after': '3' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAfterMs: 3000 });
  });

  it('under a dispatcher: the retry waits Retry-After, then the send succeeds; the sent event has no raw', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: '0.05' });
    const dispatcher = createDispatcher({
      providers: [provider()],
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    const retrying: RetryingEvent[] = [];
    const sent: SentEvent[] = [];
    dispatcher.on('retrying', (event) => retrying.push(event));
    dispatcher.on('sent', (event) => sent.push(event));
    const result = await dispatcher.send({ to: TO, body: BODY });
    await dispatcher.close();
    expect(result.provider).toBe('twilio');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.delayMs).toBe(50);
    expect(retrying[0]!.error.code).toBe('RATE_LIMITED');
    expect(JSON.stringify(sent)).not.toContain(BODY);
  });
});

describe('errors: transport', () => {
  it('a network failure → NETWORK', async () => {
    emulator.failNext({ kind: 'network' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true, provider: 'twilio' });
  });

  it("the provider's timeoutMs → TIMEOUT", async () => {
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const error = await failure(provider({ timeoutMs: 50 }).send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, provider: 'twilio' });
  });

  it("the caller's abort → ABORTED", async () => {
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const pending = failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    setTimeout(() => controller.abort(), 20);
    expect((await pending).code).toBe('ABORTED');
  });
});

describe('no secret in any error: message, cause chain, JSON', () => {
  const modes = [
    ['Auth Token', AUTH_TOKEN, basic(ACCOUNT_SID, AUTH_TOKEN), () => provider({ timeoutMs: 50 })],
    ['API key', API_KEY_SECRET, basic(API_KEY_SID, API_KEY_SECRET), () => apiKeyProvider({ timeoutMs: 50 })],
  ] as const;

  for (const [mode, secret, header, make] of modes) {
    /** A Twilio error text that echoes the secret the provider holds, its Basic header and the body. */
    const echo = `echo: ${secret} | ${header} | ${BODY}`;
    const scenarios: [string, () => void][] = [
      ['401', () => emulator.failNext({ kind: 'error', status: 401, code: 20003, message: echo })],
      ['403', () => emulator.failNext({ kind: 'error', status: 403, code: 20403, message: echo })],
      ['429', () => emulator.failNext({ kind: 'error', status: 429, code: 20429, message: echo })],
      ['400 21211', () => emulator.failNext({ kind: 'error', code: 21211, message: echo })],
      ['500', () => emulator.failNext({ kind: 'error', status: 500, code: 20500, message: echo })],
      ['400 unknown', () => emulator.failNext({ kind: 'error', code: 29999, message: echo })],
      ['malformed', () => emulator.failNext({ kind: 'malformed', status: 502 })],
      [
        '2xx without sid',
        () => emulator.failNext({ kind: 'reply', status: 201, body: { body: BODY, echo } }),
      ],
      ['network', () => emulator.failNext({ kind: 'network' })],
      ['timeout', () => emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY })],
    ];

    it.each(scenarios)(`${mode}: %s`, async (_, behave) => {
      behave();
      const error = await failure(make().send({ to: TO, body: BODY }, context()));
      assertNoSecrets(error, [secret, header.slice('Basic '.length), BODY]);
      expect(inspect(error, { depth: 10 })).not.toContain(secret);
    });
  }

  it("Twilio's text keeps what is not secret, with [redacted] in place of the secrets", async () => {
    emulator.failNext({
      kind: 'error',
      code: 21211,
      message: `The 'To' number ${TO} is bad; token ${AUTH_TOKEN}; ${BODY}`,
    });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.message).toBe(
      `twilio: the vendor refused the message: The 'To' number ${TO} is bad; token [redacted]; [redacted] (21211, HTTP 400)`,
    );
  });
});
