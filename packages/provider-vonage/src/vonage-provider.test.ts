import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  createDispatcher,
  isOtpError,
  type OtpError,
  type OtpErrorCode,
  RETRYABLE_BY_DEFAULT,
} from '@otpkit/core';
import { assertNoSecrets } from '@otpkit/provider-conformance';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVonageEmulator } from './testing.js';
import { VONAGE_ERROR_CODES } from './vonage-errors.js';
import type { VonageProviderOptions } from './vonage-options.js';
import { createVonageProvider, VONAGE_CLIENT_REF_MAX_LENGTH } from './vonage-provider.js';

// The spec's examples: an 8-character key, a 16-character secret.
const API_KEY = 'abcd1234';
const API_SECRET = 'Vn7SecretXy91Qz0';
const ENDPOINT = 'https://rest.nexmo.com/sms/json';
const TO = '+447700900000';
const BODY = 'Your code is 482913';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const SUCCESS = fixture('send-success.json');
const MISSING_TO = fixture('send-error-missing-to.json');

const emulator = createVonageEmulator({ apiKey: API_KEY, apiSecret: API_SECRET });
const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

const provider = (options: Partial<VonageProviderOptions> = {}) =>
  createVonageProvider({ apiKey: API_KEY, apiSecret: API_SECRET, from: 'OTPKIT', ...options });
const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });

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

/** Serves one reply to the next send: a JSON text as it is, or an object as JSON. */
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

/** Records every raw request (the secret unredacted) and answers with the docs' success reply. */
function capture(reply = SUCCESS): Captured[] {
  const seen: Captured[] = [];
  server.use(
    http.all(ENDPOINT, async ({ request }) => {
      seen.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        text: await request.text(),
      });
      return new HttpResponse(reply, { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
  return seen;
}

/** The fields of a form body, in order, duplicates kept. */
const fields = (text: string) => [...new URLSearchParams(text)];

/** A Vonage reply of several parts with these statuses. */
const parts = (...statuses: string[]) => ({
  'message-count': String(statuses.length),
  messages: statuses.map((status, index) =>
    status === '0'
      ? { to: '447700900000', 'message-id': `0C00000021${index}B7F0${index}`, status: '0', network: '23410' }
      : { status, 'error-text': `error ${status} on part ${index + 1}` },
  ),
});

/** Every rendering of an error that can reach a log. */
const renderings = (error: OtpError) =>
  [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 }), error.stack].join(
    '\n',
  );

describe('the request', () => {
  it('POST /sms/json, form-encoded: api_key, api_secret, from, to without "+", text; nothing else', async () => {
    const seen = capture();
    await provider().send({ to: TO, body: BODY }, context());
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(ENDPOINT);
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.headers.get('accept')).toBe('application/json');
    expect(request.headers.get('authorization')).toBeNull();
    expect(fields(request.text)).toEqual([
      ['api_key', API_KEY],
      ['api_secret', API_SECRET],
      ['from', 'OTPKIT'],
      ['to', '447700900000'],
      ['text', BODY],
    ]);
  });

  it('every field: type=unicode, ttl, callback and client-ref, and the message sender over the option', async () => {
    const seen = capture();
    await provider({ ttlMs: 300_000 }).send(
      {
        to: '+14155550123',
        body: 'Ваш код 482913',
        sender: '12015550100',
        callbackUrl: 'https://app.example.com/vonage/dlr/s3cr3t-path',
        reference: 'login-42',
      },
      context(),
    );
    expect(fields(seen[0]!.text)).toEqual([
      ['api_key', API_KEY],
      ['api_secret', API_SECRET],
      ['from', '12015550100'],
      ['to', '14155550123'],
      ['text', 'Ваш код 482913'],
      ['type', 'unicode'],
      ['ttl', '300000'],
      ['callback', 'https://app.example.com/vonage/dlr/s3cr3t-path'],
      ['client-ref', 'login-42'],
    ]);
  });

  it.each([
    ['plain ASCII', 'Your code is 482913', false],
    [
      'the basic set: £ ¥ è é ù ì ò Ç Ø ø Å å Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ Æ æ ß É ¤ ¡ Ä Ö Ñ Ü § ¿ ä ö ñ ü à',
      '£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà',
      false,
    ],
    ['the extension table: ^ { } \\ [ ~ ] | €', 'Code {482913} [ok] ~ | ^ \\ €5', false],
    ['new lines', 'Your code:\n482913\r\n', false],
    ['an emoji', 'Your code is 482913 🔐', true],
    ['Cyrillic', 'Ваш код 482913', true],
    ['Devanagari', 'आपका कोड 482913', true],
    ['lower-case ç (only Ç is GSM-7)', 'Ça va, ç 482913', true],
    ['a curly quote', 'It’s 482913', true],
    ['a tab', 'Code\t482913', true],
    ['a Greek letter outside the set (α)', 'α 482913', true],
  ])('type=unicode only when the body is not GSM-7: %s', async (_, body, unicode) => {
    const seen = capture();
    await provider().send({ to: TO, body }, context());
    const form = new URLSearchParams(seen[0]!.text);
    expect(form.get('text')).toBe(body);
    expect(form.get('type')).toBe(unicode ? 'unicode' : null);
  });

  it(`cuts client-ref to ${VONAGE_CLIENT_REF_MAX_LENGTH} characters, never halving an emoji`, async () => {
    expect(VONAGE_CLIENT_REF_MAX_LENGTH).toBe(40);
    const seen = capture();
    const exact = 'r'.repeat(40);
    const long = `${'x'.repeat(39)}yz-and-more`;
    const emoji = `${'e'.repeat(39)}🔐🔐`;
    for (const reference of [exact, long, emoji]) {
      await provider().send({ to: TO, body: BODY, reference }, context());
    }
    expect(seen.map((request) => new URLSearchParams(request.text).get('client-ref'))).toEqual([
      exact,
      `${'x'.repeat(39)}y`,
      `${'e'.repeat(39)}🔐`,
    ]);
  });

  it('sends no ttl unless the option is set, and the option as given', async () => {
    const seen = capture();
    await provider().send({ to: TO, body: BODY }, context());
    await provider({ ttlMs: 20_000 }).send({ to: TO, body: BODY }, context());
    await provider({ ttlMs: 604_800_000 }).send({ to: TO, body: BODY }, context());
    expect(seen.map((request) => new URLSearchParams(request.text).get('ttl'))).toEqual([
      null,
      '20000',
      '604800000',
    ]);
  });

  it('refuses a wrong message with INVALID_INPUT before any request', async () => {
    for (const message of [
      { to: '447700900000', body: BODY },
      { to: TO, body: '' },
      { to: `${TO},+14155550123`, body: BODY },
    ]) {
      const error = await failure(provider().send(message, context()));
      expect(error.code).toBe('INVALID_INPUT');
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('a baseUrl with a path keeps the path', async () => {
    const proxy = createVonageEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: 'https://proxy.example.com/nexmo',
    });
    server.use(...proxy.handlers);
    await provider({ baseUrl: 'https://proxy.example.com/nexmo//' }).send({ to: TO, body: BODY }, context());
    expect(proxy.requests.map((request) => request.path)).toEqual(['/nexmo/sms/json']);
  });
});

describe('the reply: HTTP 200 carries success and failure alike', () => {
  it("the docs' success reply: messageId is the message-id, raw holds the reply, acceptedAt is now", async () => {
    serve(200, SUCCESS);
    const before = Date.now();
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt).toEqual({
      provider: 'vonage',
      messageId: '0C000000217B7F02',
      to: TO,
      acceptedAt: expect.any(Date),
      raw: JSON.parse(SUCCESS),
    });
    expect(receipt.acceptedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(receipt.acceptedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('takes message-count and status as numbers too (as the SDK tests send them)', async () => {
    serve(200, {
      'message-count': 1,
      messages: [{ to: '447700900000', 'message-id': 'abc-123', status: 0 }],
    });
    expect((await provider().send({ to: TO, body: BODY }, context())).messageId).toBe('abc-123');
    serve(200, { 'message-count': 1, messages: [{ status: 4, 'error-text': 'Bad Credentials' }] });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'AUTHENTICATION',
      providerCode: '4',
    });
  });

  it('several parts, all "0": success with the first part\'s id, every part in raw', async () => {
    const reply = parts('0', '0', '0');
    serve(200, reply);
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt.messageId).toBe(reply.messages[0]!['message-id']);
    expect(receipt.raw).toEqual(reply);
  });

  it('a long body through the emulator: one send, several parts, the first id', async () => {
    const body = `Your code is 482913. ${'x'.repeat(300)}`;
    const receipt = await provider().send({ to: TO, body }, context());
    const raw = receipt.raw as { 'message-count': string; messages: { 'message-id': string }[] };
    expect(raw['message-count']).toBe('3');
    expect(raw.messages).toHaveLength(3);
    expect(receipt.messageId).toBe(raw.messages[0]!['message-id']);
    expect(new Set(raw.messages.map((part) => part['message-id'])).size).toBe(3);
    expect(emulator.accepted(TO)).toBe(1);
  });

  it.each([
    [['0', '1'], '1', 'RATE_LIMITED', 'part 2 of 2'],
    [['0', '0', '5'], '5', 'PROVIDER_UNAVAILABLE', 'part 3 of 3'],
    [['0', '4', '1'], '4', 'AUTHENTICATION', 'part 2 of 3'],
    [['7', '0'], '7', 'REJECTED', 'part 1 of 2'],
  ] as const)(
    'parts %j fail by the first failing status (%s → %s)',
    async (statuses, status, code, where) => {
      serve(200, parts(...statuses));
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error).toMatchObject({ code, providerCode: status, status: 200, provider: 'vonage' });
      expect(error.message).toContain(where);
      expect(error.message).toContain(`error ${status} on part`);
    },
  );

  it('a later failing part, through the emulator', async () => {
    emulator.failNext({ kind: 'status', status: '1', part: 2 });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', providerCode: '1', retryable: true });
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toBe('vonage: the vendor asked to slow down: part 2 of 2: Throttled (1, HTTP 200)');
  });

  it("the spec's failure reply (status 2, no message-id): REJECTED, with Vonage's text", async () => {
    serve(200, MISSING_TO);
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', providerCode: '2', status: 200, retryable: false });
    expect(error.message).toBe('vonage: the vendor refused the message: Missing to param (2, HTTP 200)');
  });

  it.each([
    ['not JSON', '<html>oops</html>'],
    ['empty', ''],
    ['JSON without messages', { 'message-count': '1' }],
    ['an empty messages array', { 'message-count': '0', messages: [] }],
    ['messages that is not an array', { messages: { status: '0' } }],
    ['a part without a status', { messages: [{ 'message-id': '0C000000217B7F02' }] }],
    ['a status that is neither text nor number', { messages: [{ status: null }] }],
    ['a JSON string', '"ok"'],
  ])('a 2xx that is %s → INVALID_RESPONSE', async (_, body) => {
    serve(200, body);
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', retryable: false, status: 200 });
  });

  it('status "0" without a message-id → INVALID_RESPONSE', async () => {
    serve(200, { 'message-count': '1', messages: [{ status: '0', to: '447700900000' }] });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('without a message-id');
  });
});

describe('the status table', () => {
  it("is the notes' table, row for row", () => {
    const classes = Object.fromEntries(
      Object.entries(VONAGE_ERROR_CODES).map(([status, rule]) => [status, rule.code]),
    );
    expect(classes).toEqual({
      '1': 'RATE_LIMITED',
      '2': 'REJECTED',
      '3': 'REJECTED',
      '4': 'AUTHENTICATION',
      '5': 'PROVIDER_UNAVAILABLE',
      '6': 'REJECTED',
      '7': 'REJECTED',
      '8': 'AUTHENTICATION',
      '9': 'REJECTED',
      '10': 'RATE_LIMITED',
      '11': 'AUTHENTICATION',
      '12': 'REJECTED',
      '14': 'AUTHENTICATION',
      '15': 'REJECTED',
      '22': 'REJECTED',
      '23': 'REJECTED',
      '29': 'REJECTED',
      '32': 'AUTHENTICATION',
      '33': 'REJECTED',
    });
    expect(Object.isFrozen(VONAGE_ERROR_CODES)).toBe(true);
  });

  it.each(Object.entries(VONAGE_ERROR_CODES))('status %s (%o) in an HTTP 200', async (status, rule) => {
    emulator.failNext({ kind: 'status', status, errorText: `Vonage says ${rule.name}` });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({
      code: rule.code,
      retryable: RETRYABLE_BY_DEFAULT[rule.code],
      provider: 'vonage',
      providerCode: status,
      status: 200,
    });
    expect(error.message).toContain(`Vonage says ${rule.name} (${status}, HTTP 200)`);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it.each(['13', '16', '31', '99', '-1', 'abc', 'constructor', '__proto__'])(
    'an unknown status (%s) → REJECTED, the status kept',
    async (status) => {
      serve(200, { 'message-count': '1', messages: [{ status, 'error-text': 'Something new' }] });
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error).toMatchObject({ code: 'REJECTED', providerCode: status, retryable: false });
    },
  );

  it('status 4 is AUTHENTICATION through the emulator: wrong secret, wrong key', async () => {
    for (const wrong of [{ apiSecret: 'Wrong-secret-0000' }, { apiKey: 'zzzz9999' }]) {
      const error = await failure(provider(wrong).send({ to: TO, body: BODY }, context()));
      expect(error).toMatchObject({ code: 'AUTHENTICATION', providerCode: '4', status: 200 });
      expect(error.message).toBe('vonage: the vendor refused the credentials: Bad Credentials (4, HTTP 200)');
    }
  });
});

describe('HTTP statuses come first', () => {
  it.each([401, 403])('%i → AUTHENTICATION, whatever the body', async (status) => {
    serve(status, parts('1'));
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'AUTHENTICATION',
      status,
      providerCode: '1',
    });
    serve(status, '<html>no</html>');
    expect((await failure(provider().send({ to: TO, body: BODY }, context()))).code).toBe('AUTHENTICATION');
  });

  it('429 → RATE_LIMITED, with Retry-After in seconds or as a date', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: 3 });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterMs: 3000,
      retryable: true,
    });
    const at = new Date(Date.now() + 60_000).toUTCString();
    emulator.failNext({ kind: 'rate-limit', retryAfter: at });
    const dated = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(dated.retryAfterMs).toBeGreaterThan(55_000);
    emulator.failNext({ kind: 'rate-limit' });
    expect((await failure(provider().send({ to: TO, body: BODY }, context()))).retryAfterMs).toBeUndefined();
  });

  it.each([500, 502, 503, 504])('%i → PROVIDER_UNAVAILABLE, whatever the body', async (status) => {
    emulator.failNext({ kind: 'unavailable', status });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      status,
      retryable: true,
    });
    emulator.failNext({ kind: 'malformed', status });
    expect((await failure(provider().send({ to: TO, body: BODY }, context()))).code).toBe(
      'PROVIDER_UNAVAILABLE',
    );
  });

  it('another 4xx: by the status in its body, else REJECTED; a body that is not JSON → INVALID_RESPONSE', async () => {
    emulator.failNext({ kind: 'error', code: '5', status: 400 });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      status: 400,
      providerCode: '5',
    });
    serve(404, { type: 'NOT_FOUND', title: 'Not Found' });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'REJECTED',
      status: 404,
    });
    emulator.failNext({ kind: 'malformed', status: 400 });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'INVALID_RESPONSE',
      status: 400,
    });
  });

  it('a 4xx with a body of all-accepted parts is still a failure, without a vendor code', async () => {
    serve(400, SUCCESS);
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', status: 400 });
    expect(error.providerCode).toBeUndefined();
    serve(400, parts('0', '0'));
    expect((await failure(provider().send({ to: TO, body: BODY }, context()))).message).toBe(
      'vonage: the vendor refused the message (HTTP 400)',
    );
  });

  it('no reply → NETWORK; past timeoutMs → TIMEOUT; an aborted signal → ABORTED', async () => {
    emulator.failNext({ kind: 'network' });
    expect((await failure(provider().send({ to: TO, body: BODY }, context()))).code).toBe('NETWORK');
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    expect((await failure(provider({ timeoutMs: 50 }).send({ to: TO, body: BODY }, context()))).code).toBe(
      'TIMEOUT',
    );
    const controller = new AbortController();
    controller.abort();
    expect((await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)))).code).toBe(
      'ABORTED',
    );
  });
});

describe('secrets: never in an error, nor in what the emulator records', () => {
  const secrets = [API_SECRET, BODY];

  it("redacts the secret and the body when Vonage's error-text echoes them, encoded or not", async () => {
    const echoes = [
      `bad api_secret ${API_SECRET} for text "${BODY}"`,
      `bad request: api_key=${API_KEY}&api_secret=${API_SECRET}&text=${new URLSearchParams({ t: BODY }).toString().slice(2)}`,
    ];
    for (const errorText of echoes) {
      emulator.failNext({ kind: 'status', status: '3', errorText });
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error.code).toBe('REJECTED');
      expect(error.message).toContain('[redacted]');
      assertNoSecrets(error, secrets);
      expect(renderings(error)).not.toContain(API_SECRET);
      expect(renderings(error)).not.toContain('482913');
    }
  });

  it('a secret with characters that form-encoding changes is redacted in every spelling', async () => {
    const secret = 'p+s/cr=t&key%01';
    const local = createVonageEmulator({ apiKey: API_KEY, apiSecret: secret });
    server.use(...local.handlers);
    const formSpelling = new URLSearchParams({ s: secret }).toString().slice(2);
    expect(formSpelling).not.toBe(secret);
    local.failNext({
      kind: 'status',
      status: '3',
      errorText: `echo: ${secret} ${formSpelling} ${encodeURIComponent(secret)}`,
    });
    const error = await failure(provider({ apiSecret: secret }).send({ to: TO, body: BODY }, context()));
    expect(error.message).toBe(
      'vonage: the vendor refused the message: echo: [redacted] [redacted] [redacted] (3, HTTP 200)',
    );
  });

  it('every failure kind keeps the secret out of the message, the JSON, the cause chain and inspect()', async () => {
    const faults = [
      { kind: 'status', status: '4' },
      { kind: 'status', status: '1', part: 3 },
      { kind: 'rate-limit', retryAfter: 1 },
      { kind: 'unavailable' },
      { kind: 'network' },
      { kind: 'malformed' },
      { kind: 'error', code: '9', message: `Partner Quota Violation for ${API_SECRET}` },
      { kind: 'reply', status: 200, body: { messages: 'nope', api_secret: API_SECRET } },
      { kind: 'reply', status: 400, body: { 'error-text': API_SECRET } },
    ] as const;
    for (const fault of faults) {
      emulator.failNext(fault);
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      assertNoSecrets(error, secrets);
      expect(renderings(error), fault.kind).not.toContain(API_SECRET);
      expect(renderings(error), fault.kind).not.toContain(BODY);
    }
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const timeout = await failure(provider({ timeoutMs: 30 }).send({ to: TO, body: BODY }, context()));
    expect(timeout.code).toBe('TIMEOUT');
    expect(renderings(timeout)).not.toContain(API_SECRET);
  });

  it('the emulator records api_secret as [redacted], in the form and in a query', async () => {
    await provider().send({ to: TO, body: BODY }, context());
    await emulator.handle(
      new Request(`${ENDPOINT}?api_secret=${API_SECRET}&x=1`, {
        method: 'POST',
        body: new URLSearchParams(),
      }),
    );
    expect(emulator.requests[0]!.form.api_secret).toBe('[redacted]');
    expect(emulator.requests[0]!.form.api_key).toBe(API_KEY);
    expect(emulator.requests[1]!.path).toBe('/sms/json?api_secret=%5Bredacted%5D&x=1');
    expect(JSON.stringify(emulator.requests)).not.toContain(API_SECRET);
  });

  it('through a dispatcher: the failed event and the rejection carry no secret', async () => {
    const dispatcher = createDispatcher({
      providers: [provider()],
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    const seen: unknown[] = [];
    dispatcher.on('failed', (event) => seen.push(event));
    emulator.failNext({ kind: 'status', status: '5', errorText: `down, secret ${API_SECRET}` }, 2);
    const error = await failure(dispatcher.send({ to: TO, body: BODY }));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(emulator.requests).toHaveLength(2);
    assertNoSecrets(error, secrets);
    expect(inspect(seen, { depth: 10 })).not.toContain(API_SECRET);
    await dispatcher.close();
  });
});

describe('through a dispatcher', () => {
  it('retries status 1 (throttled in a 200), then succeeds', async () => {
    const dispatcher = createDispatcher({ providers: [provider()], retry: { minDelayMs: 1, maxDelayMs: 1 } });
    emulator.failNext({ kind: 'status', status: '1' });
    const result = await dispatcher.send({ to: TO, body: BODY });
    expect(result.attempts).toBe(2);
    expect(result.messageId).toMatch(/^[0-9A-F]{16}$/);
    await dispatcher.close();
  });

  it.each([
    ['7', 'REJECTED'],
    ['4', 'AUTHENTICATION'],
  ] as const)('does not retry status %s (%s)', async (status, code: OtpErrorCode) => {
    const dispatcher = createDispatcher({ providers: [provider()], retry: { minDelayMs: 1, maxDelayMs: 1 } });
    emulator.failNext({ kind: 'status', status });
    expect((await failure(dispatcher.send({ to: TO, body: BODY }))).code).toBe(code);
    expect(emulator.requests).toHaveLength(1);
    await dispatcher.close();
  });
});
