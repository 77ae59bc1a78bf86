import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import {
  createDispatcher,
  type DeliveryEvent,
  isOtpError,
  OtpError,
  type OtpMessage,
  RETRYABLE_BY_DEFAULT,
  type RetryingEvent,
  type SentEvent,
} from '@otpkit/core';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KALEYRA_ERROR_CODES } from './kaleyra-errors.js';
import type { KaleyraProviderOptions } from './kaleyra-options.js';
import { createKaleyraProvider, parseKaleyraTime } from './kaleyra-provider.js';
import { createKaleyraEmulator } from './testing.js';

// The seed's sample values. The seed's `to=+1XXXXXXXXXX` is a placeholder: +14155550123 stands in for it.
const SID = 'HXXXXXXX071US';
const API_KEY = 'Ac4XXXXX21f';
const TO = '+14155550123';
const SEED_BODY = ' Dear Customer, 1234 is your OTP (One Time Password) for the transaction.';
const SEED_CALLBACK = 'https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c';
const SEED_TEMPLATE_ID = '2xxxxxxxxxxxx';
const ENDPOINT = `https://api.kaleyra.io/v1/${SID}/messages`;
const BODY = 'Your OTP is 482913';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const SUCCESS = fixture('send-success.json');
const SUCCESS_INDIA = fixture('send-success-india.json');
const ERROR_E404 = fixture('send-error-e404.json');

const emulator = createKaleyraEmulator({ sid: SID, apiKey: API_KEY });
const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const provider = (options: Partial<KaleyraProviderOptions> = {}) =>
  createKaleyraProvider({ sid: SID, apiKey: API_KEY, sender: 'KLRHXA', ...options });
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

/** Serves one reply to the next send (raw text, or JSON). */
function serve(status: number, body: string | object, headers: Record<string, string> = {}) {
  server.use(
    http.post(
      ENDPOINT,
      () =>
        new HttpResponse(typeof body === 'string' ? body : JSON.stringify(body), {
          status,
          headers: {
            'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
            ...headers,
          },
        }),
    ),
  );
}

/** Serves a JSON text as it is (fixtures are served byte for byte). */
function serveJson(status: number, text: string, url = ENDPOINT) {
  server.use(
    http.post(url, () => new HttpResponse(text, { status, headers: { 'content-type': 'application/json' } })),
  );
}

interface Captured {
  method: string;
  url: string;
  headers: Headers;
  text: string;
}

/** Records every raw request to `url` (api-key unredacted) and answers with the seed's success reply. */
function capture(url = ENDPOINT, reply = SUCCESS): Captured[] {
  const seen: Captured[] = [];
  server.use(
    http.all(url, async ({ request }) => {
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

describe('the request: the seed samples, exactly', () => {
  it('sample request: POST /v1/<SID>/messages, api-key, form-encoded to/type/sender/body/callback', async () => {
    const seen = capture();
    await provider({ sender: 'KLRHXAD' }).send(
      { to: TO, body: SEED_BODY, callbackUrl: SEED_CALLBACK },
      context(),
    );
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.kaleyra.io/v1/HXXXXXXX071US/messages');
    expect(request.headers.get('api-key')).toBe('Ac4XXXXX21f');
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded(;|$)/);
    expect(request.headers.get('authorization')).toBeNull();
    expect(fields(request.text)).toEqual([
      ['to', '+14155550123'],
      ['type', 'OTP'],
      ['sender', 'KLRHXAD'],
      ['body', ' Dear Customer, 1234 is your OTP (One Time Password) for the transaction.'],
      ['callback', 'https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c'],
    ]);
    // The exact bytes: `+` and spaces encoded, the body's leading space kept (DLT matches bodies exactly).
    expect(request.text).toBe(
      'to=%2B14155550123&type=OTP&sender=KLRHXAD' +
        '&body=+Dear+Customer%2C+1234+is+your+OTP+%28One+Time+Password%29+for+the+transaction.' +
        '&callback=https%3A%2F%2Fwebhook.site%2F89b43b12-b889-4f66-8ebf-3379b4b3345c',
    );
  });

  it('sample request for Indian customers: the same plus template_id', async () => {
    const seen = capture(ENDPOINT, SUCCESS_INDIA);
    await provider({ sender: 'KLRHXA' }).send(
      { to: TO, body: SEED_BODY, callbackUrl: SEED_CALLBACK, templateId: SEED_TEMPLATE_ID },
      context(),
    );
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(ENDPOINT);
    expect(request.headers.get('api-key')).toBe(API_KEY);
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded(;|$)/);
    expect(fields(request.text)).toEqual([
      ['to', '+14155550123'],
      ['type', 'OTP'],
      ['sender', 'KLRHXA'],
      ['body', ' Dear Customer, 1234 is your OTP (One Time Password) for the transaction.'],
      ['callback', 'https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c'],
      ['template_id', '2xxxxxxxxxxxx'],
    ]);
  });

  it('the emulator sees the same form, with the key redacted', async () => {
    await provider().send({ to: TO, body: BODY }, context());
    expect(emulator.requests).toHaveLength(1);
    const request = emulator.requests[0]!;
    expect(request).toMatchObject({ method: 'POST', path: `/v1/${SID}/messages`, authorized: true });
    expect(request.form).toEqual({ to: TO, type: 'OTP', sender: 'KLRHXA', body: BODY });
    expect(request.headers['api-key']).toBe('[redacted]');
    expect(JSON.stringify(emulator.requests)).not.toContain(API_KEY);
  });

  it('sends no sender, callback or template_id when neither the provider nor the message has one', async () => {
    const seen = capture();
    await createKaleyraProvider({ sid: SID, apiKey: API_KEY }).send({ to: TO, body: BODY }, context());
    expect(fields(seen[0]!.text)).toEqual([
      ['to', TO],
      ['type', 'OTP'],
      ['body', BODY],
    ]);
  });

  it('the reference stays with the app: it is not sent', async () => {
    const seen = capture();
    await provider().send({ to: TO, body: BODY, reference: 'login-42' }, context());
    expect(seen[0]!.text).not.toContain('login-42');
  });
});

describe('the request: defaults and per-message overrides', () => {
  const defaults = {
    sender: 'KLRHXA',
    templateId: '1107160000000000001',
    callbackUrl: 'https://app.example.com/kaleyra/dlr',
  };

  it('provider defaults fill in sender, template_id and callback', async () => {
    const seen = capture();
    await provider(defaults).send({ to: TO, body: BODY }, context());
    expect(fields(seen[0]!.text)).toEqual([
      ['to', TO],
      ['type', 'OTP'],
      ['sender', 'KLRHXA'],
      ['body', BODY],
      ['callback', 'https://app.example.com/kaleyra/dlr'],
      ['template_id', '1107160000000000001'],
    ]);
  });

  it("the message's own sender, templateId and callbackUrl win", async () => {
    const seen = capture();
    await provider(defaults).send(
      {
        to: TO,
        body: BODY,
        sender: 'OTPKIT',
        templateId: '1107169999999999999',
        callbackUrl: 'https://other.example.com/dlr?token=abc',
      },
      context(),
    );
    expect(fields(seen[0]!.text)).toEqual([
      ['to', TO],
      ['type', 'OTP'],
      ['sender', 'OTPKIT'],
      ['body', BODY],
      ['callback', 'https://other.example.com/dlr?token=abc'],
      ['template_id', '1107169999999999999'],
    ]);
  });

  it('each override works alone', async () => {
    const seen = capture();
    const kaleyra = provider(defaults);
    await kaleyra.send({ to: TO, body: BODY, sender: 'ABCDEF' }, context());
    await kaleyra.send({ to: TO, body: BODY, templateId: 'T-2' }, context());
    await kaleyra.send({ to: TO, body: BODY, callbackUrl: 'https://b.example.com/' }, context());
    const sent = seen.map((request) => Object.fromEntries(fields(request.text)));
    expect(sent.map((form) => [form.sender, form.template_id, form.callback])).toEqual([
      ['ABCDEF', '1107160000000000001', 'https://app.example.com/kaleyra/dlr'],
      ['KLRHXA', 'T-2', 'https://app.example.com/kaleyra/dlr'],
      ['KLRHXA', '1107160000000000001', 'https://b.example.com/'],
    ]);
  });
});

describe('the request: hosts', () => {
  it.each([
    ['in', 'https://api.in.kaleyra.io'],
    ['ap', 'https://api.ap.kaleyra.io'],
    ['eu', 'https://api.eu.kaleyra.io'],
  ] as const)('region %s posts to %s', async (region, host) => {
    const seen = capture(`${host}/v1/${SID}/messages`);
    const receipt = await provider({ region }).send({ to: TO, body: BODY }, context());
    expect(seen.map((request) => request.url)).toEqual([`${host}/v1/${SID}/messages`]);
    expect(receipt.messageId).toBe('ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1');
  });

  it('baseUrl with a trailing slash: one slash before v1', async () => {
    const seen = capture(`https://kaleyra-proxy.example.com/v1/${SID}/messages`);
    await provider({ baseUrl: 'https://kaleyra-proxy.example.com/' }).send({ to: TO, body: BODY }, context());
    expect(seen.map((request) => request.url)).toEqual([
      `https://kaleyra-proxy.example.com/v1/${SID}/messages`,
    ]);
  });

  it('baseUrl with a path keeps the path', async () => {
    const seen = capture(`http://localhost:9999/kaleyra/v1/${SID}/messages`);
    await provider({ baseUrl: 'http://localhost:9999/kaleyra/' }).send({ to: TO, body: BODY }, context());
    expect(seen.map((request) => request.url)).toEqual([`http://localhost:9999/kaleyra/v1/${SID}/messages`]);
  });

  it('region and baseUrl together → INVALID_CONFIG', () => {
    expect(() => provider({ region: 'in', baseUrl: 'https://api.in.kaleyra.io' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });

  it('a custom fetch option carries the request', async () => {
    const fetch = vi.fn(async (input: Request | URL | string, init?: RequestInit) => {
      const request = new Request(input, init);
      expect(request.url).toBe(ENDPOINT);
      expect(request.headers.get('api-key')).toBe(API_KEY);
      expect(fields(await request.text())).toContainEqual(['to', TO]);
      return new Response(SUCCESS, { status: 200, headers: { 'content-type': 'application/json' } });
    });
    const receipt = await provider({ fetch }).send({ to: TO, body: BODY }, context());
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(receipt.messageId).toBe('ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('India (DLT)', () => {
  const INDIA = '+919876543210';

  it('+91 without a template id → INVALID_INPUT naming DLT and templateId, and no request', async () => {
    const seen = capture();
    const error = await failure(provider().send({ to: INDIA, body: BODY }, context()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.retryable).toBe(false);
    expect(error.provider).toBe('kaleyra');
    expect(error.message).toContain('DLT');
    expect(error.message).toContain('templateId');
    expect(error.issues?.map((issue) => issue.path)).toEqual(['templateId']);
    expect(seen).toHaveLength(0);
    expect(emulator.requests).toHaveLength(0);
  });

  it("the provider's templateId satisfies the rule", async () => {
    const seen = capture();
    await provider({ templateId: '1107160000000000001' }).send({ to: INDIA, body: BODY }, context());
    expect(Object.fromEntries(fields(seen[0]!.text))).toMatchObject({
      to: INDIA,
      template_id: '1107160000000000001',
    });
  });

  it("the message's templateId satisfies the rule", async () => {
    const receipt = await provider().send(
      { to: INDIA, body: BODY, templateId: '1107160000000000002' },
      context(),
    );
    expect(receipt.to).toBe(INDIA);
    expect(emulator.requests[0]?.form.template_id).toBe('1107160000000000002');
    expect(emulator.accepted(INDIA)).toBe(1);
  });

  it('requireTemplateIdForIndia: false lets it through without template_id', async () => {
    const seen = capture();
    await provider({ requireTemplateIdForIndia: false }).send({ to: INDIA, body: BODY }, context());
    expect(fields(seen[0]!.text)).toEqual([
      ['to', INDIA],
      ['type', 'OTP'],
      ['sender', 'KLRHXA'],
      ['body', BODY],
    ]);
  });

  it('only +91 is India: +92 and +1 need no template id', async () => {
    await provider().send({ to: '+923001234567', body: BODY }, context());
    await provider().send({ to: TO, body: BODY }, context());
    expect(emulator.accepted()).toBe(2);
  });

  it('an invalid message → INVALID_INPUT before any request', async () => {
    for (const message of [
      { to: '+911234567890,+919876543210', body: BODY },
      { to: '14155550123', body: BODY },
      { to: TO, body: '' },
    ]) {
      const error = await failure(provider().send(message as OtpMessage, context()));
      expect(error.code).toBe('INVALID_INPUT');
    }
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('success replies (the seed fixtures)', () => {
  it('reads the seed success reply into a receipt', async () => {
    serveJson(200, SUCCESS);
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt).toEqual({
      provider: 'kaleyra',
      messageId: 'ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1',
      to: TO,
      acceptedAt: new Date('2019-11-04T10:42:23Z'),
      raw: JSON.parse(SUCCESS),
    });
  });

  it('reads the seed Indian success reply, template_id kept in raw', async () => {
    serveJson(200, SUCCESS_INDIA);
    const receipt = await provider({ templateId: SEED_TEMPLATE_ID }).send({ to: TO, body: BODY }, context());
    expect(receipt.messageId).toBe('ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1');
    expect(receipt.acceptedAt).toEqual(new Date('2019-11-04T10:42:23Z'));
    expect(receipt.raw).toEqual(JSON.parse(SUCCESS_INDIA));
    expect((receipt.raw as { template_id?: string }).template_id).toBe('2xxxxxxxxxxxx');
  });

  it('accepts any 2xx whose body has the shape (202)', async () => {
    serveJson(202, SUCCESS);
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt.messageId).toBe('ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1');
  });

  it('without a readable createdDateTime, acceptedAt is our clock', async () => {
    for (const createdDateTime of [undefined, null, 'yesterday']) {
      const reply = { ...JSON.parse(SUCCESS), createdDateTime };
      serve(200, reply);
      const before = Date.now();
      const receipt = await provider().send({ to: TO, body: BODY }, context());
      expect(receipt.acceptedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(receipt.acceptedAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it('parseKaleyraTime reads the space form and ISO dates', () => {
    expect(parseKaleyraTime('2019-11-04 10:42:23+00:00')).toEqual(new Date('2019-11-04T10:42:23Z'));
    expect(parseKaleyraTime('2019-11-04 16:12:23+05:30')).toEqual(new Date('2019-11-04T10:42:23Z'));
    expect(parseKaleyraTime('2019-11-04T10:42:23Z')).toEqual(new Date('2019-11-04T10:42:23Z'));
    expect(parseKaleyraTime('nonsense')).toBeUndefined();
    expect(parseKaleyraTime('')).toBeUndefined();
    expect(parseKaleyraTime(null)).toBeUndefined();
    expect(parseKaleyraTime(undefined)).toBeUndefined();
  });
});

describe("error replies: Kaleyra's code table", () => {
  it('has the seed E404 and the codes of the API notes', () => {
    expect(Object.keys(KALEYRA_ERROR_CODES)).toEqual(
      expect.arrayContaining(['E404', 'E401', 'E103', 'E102']),
    );
    expect(Object.keys(KALEYRA_ERROR_CODES).length).toBeGreaterThanOrEqual(36);
  });

  it('the seed E404 reply (several numbers) → REJECTED, E404, not retryable', async () => {
    serveJson(400, ERROR_E404);
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({
      code: 'REJECTED',
      providerCode: 'E404',
      status: 400,
      retryable: false,
      provider: 'kaleyra',
    });
    expect(error.message).toBe(
      'kaleyra: the vendor refused the message: If Type is OTP then only one mobile number is allowed. (E404, HTTP 400)',
    );
  });

  it.each(Object.entries(KALEYRA_ERROR_CODES))('%s with HTTP 400 → its row', async (kaleyraCode, rule) => {
    serve(400, { code: kaleyraCode, message: `Kaleyra says ${kaleyraCode}`, error: {} });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe(rule.code);
    expect(error.providerCode).toBe(kaleyraCode);
    expect(error.status).toBe(400);
    expect(error.provider).toBe('kaleyra');
    expect(error.retryable).toBe(rule.retryable ?? RETRYABLE_BY_DEFAULT[rule.code]);
    expect(error.message).toContain(`Kaleyra says ${kaleyraCode}`);
  });
});

describe('error replies: HTTP status first', () => {
  it.each([401, 403])('%i → AUTHENTICATION, even with body code E401 or E404', async (status) => {
    for (const code of ['E401', 'E404', undefined]) {
      serve(status, { code, message: 'Invalid API key', error: {} });
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error.code).toBe('AUTHENTICATION');
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(false);
      expect(error.providerCode).toBe(code);
    }
    serve(status, '<html>Forbidden</html>');
    expect((await failure(provider().send({ to: TO, body: BODY }, context()))).code).toBe('AUTHENTICATION');
  });

  it('429 → RATE_LIMITED with retryAfterMs from Retry-After: 7', async () => {
    serve(429, { code: 'E429', message: 'Too many requests', error: {} }, { 'retry-after': '7' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, status: 429, retryAfterMs: 7000 });
  });

  it('429 → RATE_LIMITED with retryAfterMs from an HTTP date', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-05-01T12:00:00Z'));
    serve(429, { message: 'slow down' }, { 'retry-after': 'Wed, 01 May 2024 12:00:42 GMT' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(42_000);
  });

  it('429 without Retry-After, or with a non-JSON body → RATE_LIMITED without retryAfterMs', async () => {
    serve(429, 'Too Many Requests');
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBeUndefined();
  });

  it.each([500, 502, 503])(
    '%i → PROVIDER_UNAVAILABLE with a non-JSON body or an E404 body',
    async (status) => {
      serve(status, '<html><body>Bad Gateway</body></html>');
      const html = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(html).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, status });

      serveJson(status, ERROR_E404);
      const e404 = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(e404).toMatchObject({
        code: 'PROVIDER_UNAVAILABLE',
        retryable: true,
        status,
        providerCode: 'E404',
      });

      serve(status, '');
      expect((await failure(provider().send({ to: TO, body: BODY }, context()))).code).toBe(
        'PROVIDER_UNAVAILABLE',
      );
    },
  );

  it('an unknown code with 400 → REJECTED, the code kept', async () => {
    serve(400, { code: 'E999', message: 'Something new', error: {} });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', providerCode: 'E999', status: 400, retryable: false });
  });

  it('a code naming an Object.prototype member is no row of the table → REJECTED', async () => {
    for (const code of ['constructor', 'toString', '__proto__']) {
      serve(400, { code, message: 'odd', error: {} });
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error.code).toBe('REJECTED');
      expect(error.retryable).toBe(false);
    }
  });

  it('404 with no code → REJECTED', async () => {
    serve(404, { message: 'Not found' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', status: 404 });
    expect(error.providerCode).toBeUndefined();
  });

  it('a non-JSON 400 → INVALID_RESPONSE with the status', async () => {
    serve(400, '<html>Bad Request</html>');
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 400, retryable: false });
  });

  it('a 200 that is not JSON → INVALID_RESPONSE', async () => {
    for (const body of ['<html>OK</html>', '', '{"id":']) {
      serve(200, body);
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, retryable: false });
    }
  });

  it('a 200 with the wrong shape → INVALID_RESPONSE', async () => {
    const seed = JSON.parse(SUCCESS) as Record<string, unknown>;
    for (const body of [
      { id: 'x' },
      { ...seed, data: [] },
      { ...seed, data: [{ message_id: '' }] },
      { ...seed, data: [{ recipient: '14155550123' }] },
      { ...seed, id: undefined },
      { ...seed, createdDateTime: 42 },
      [seed],
      null,
      'accepted',
    ]) {
      serve(200, JSON.stringify(body));
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error.code).toBe('INVALID_RESPONSE');
      expect(error.status).toBe(200);
    }
  });

  it('a 2xx that carries code and no id → mapped by its code', async () => {
    serveJson(200, ERROR_E404);
    const e404 = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(e404).toMatchObject({ code: 'REJECTED', providerCode: 'E404', status: 200 });

    serve(202, { code: 'E103', message: 'Internal error', error: {} });
    const e103 = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(e103).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', providerCode: 'E103', retryable: true });

    serve(200, { code: 'E999', message: 'new', error: {} });
    expect((await failure(provider().send({ to: TO, body: BODY }, context()))).code).toBe('REJECTED');
  });

  it('a 2xx success that also carries a code is still a success', async () => {
    serve(200, { ...JSON.parse(SUCCESS), code: 'W100' });
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt.messageId).toBe('ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1');
  });
});

describe('no reply: network, timeout, abort', () => {
  it('network failure → NETWORK', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.error()));
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true, provider: 'kaleyra' });
  });

  it("the provider's own timeoutMs → TIMEOUT", async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const started = Date.now();
    const error = await failure(provider({ timeoutMs: 50 }).send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, provider: 'kaleyra' });
    expect(Date.now() - started).toBeLessThan(400);
  });

  it("under a dispatcher, the dispatcher's per-attempt limit rules, not the provider's own timeoutMs", async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(150);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const dispatcher = createDispatcher({ providers: [provider({ timeoutMs: 50 })], timeoutMs: 2000 });
    const result = await dispatcher.send({ to: TO, body: BODY });
    expect(result).toMatchObject({ provider: 'kaleyra', attempts: 1 });
    await dispatcher.close();
  });

  it("the caller's signal aborted mid-request → ABORTED", async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    expect(error).toMatchObject({ code: 'ABORTED', retryable: false, provider: 'kaleyra' });
  });

  it("under a deadline, the attempt's signal cancels the request on the wire", async () => {
    let cancelled = false;
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        request.signal.addEventListener('abort', () => {
          cancelled = true;
        });
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const reason = new OtpError('TIMEOUT', 'kaleyra: attempt 1 took longer than 20 ms', {
      provider: 'kaleyra',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 20);
    const error = await failure(
      provider().send(
        { to: TO, body: BODY },
        { signal: controller.signal, attempt: 1, deadline: Date.now() + 20 },
      ),
    );
    expect(error).toBe(reason);
    expect(cancelled).toBe(true);
  });

  it('under a deadline, a custom fetch gets the request with the attempt signal, and its abort ends the send', async () => {
    const seen: { url: string; signal: AbortSignal | null | undefined }[] = [];
    const fetch = vi.fn((input: Request | URL | string, init?: RequestInit) => {
      const signal = init?.signal;
      seen.push({ url: input instanceof Request ? input.url : String(input), signal });
      return new Promise<Response>((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
      });
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(
      provider({ fetch }).send(
        { to: TO, body: BODY },
        { signal: controller.signal, attempt: 1, deadline: Date.now() + 20 },
      ),
    );
    expect(error).toMatchObject({ code: 'ABORTED', provider: 'kaleyra' });
    expect(seen).toEqual([{ url: ENDPOINT, signal: controller.signal }]);
    expect(emulator.requests).toHaveLength(0);
  });

  it('a signal aborted with an OtpError TIMEOUT reason (as the dispatcher does) → that error', async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const reason = new OtpError('TIMEOUT', 'kaleyra: attempt 1 took longer than 20 ms', {
      provider: 'kaleyra',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 20);
    const error = await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    expect(error).toBe(reason);
  });

  it('a signal aborted before the send → ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    expect(error.code).toBe('ABORTED');
    expect(emulator.accepted()).toBe(0);
  });
});

describe('through a dispatcher', () => {
  it('a 503 then 200 through a dispatcher ends in one sent after one retrying', async () => {
    emulator.failNext({ kind: 'unavailable' });
    const dispatcher = createDispatcher({ providers: [provider()], retry: { minDelayMs: 1, maxDelayMs: 1 } });
    const seen: string[] = [];
    for (const name of ['queued', 'retrying', 'sent', 'failed'] as const)
      dispatcher.on(name, () => seen.push(name));
    const result = await dispatcher.send({ to: TO, body: BODY });
    expect(result.attempts).toBe(2);
    expect(seen).toEqual(['queued', 'retrying', 'sent']);
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.accepted(TO)).toBe(1);
  });

  it('a 429 with Retry-After: 0.05 then 200 waits the 50 ms Kaleyra asked for', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: '0.05' });
    // A backoff far from 50 ms, so the delay can only come from Retry-After.
    const dispatcher = createDispatcher({
      providers: [provider()],
      retry: { minDelayMs: 5000, maxDelayMs: 5000 },
    });
    const retrying: RetryingEvent[] = [];
    dispatcher.on('retrying', (event) => retrying.push(event));
    const started = Date.now();
    const result = await dispatcher.send({ to: TO, body: BODY });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.attempts).toBe(2);
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.error.code).toBe('RATE_LIMITED');
    expect(retrying[0]!.error.retryAfterMs).toBe(50);
    expect(retrying[0]!.delayMs).toBe(50);
  });

  it('the sent event has no raw and no body text, though send() resolves with raw', async () => {
    const dispatcher = createDispatcher({ providers: [provider()] });
    const events: unknown[] = [];
    let sent: SentEvent | undefined;
    for (const name of ['queued', 'retrying', 'sent', 'failed'] as const)
      dispatcher.on(name, (event: unknown) => events.push(event));
    dispatcher.on('sent', (event) => {
      sent = event;
    });
    const result = await dispatcher.send({ to: TO, body: BODY, reference: 'login-42' });
    expect((result.raw as { body?: string }).body).toBe(BODY);
    expect(sent).toBeDefined();
    expect(sent!.receipt).not.toHaveProperty('raw');
    expect(sent!.receipt).toEqual({
      provider: 'kaleyra',
      messageId: result.messageId,
      to: TO,
      acceptedAt: result.acceptedAt,
    });
    expect(sent!.reference).toBe('login-42');
    for (const event of events) {
      expect(JSON.stringify(event)).not.toContain(BODY);
      expect(JSON.stringify(event)).not.toContain('482913');
      expect(inspect(event, { depth: 10 })).not.toContain('482913');
    }
  });

  it('a failing send ends in failed, and the failed event carries no key or body', async () => {
    emulator.failNext({ kind: 'error', code: 'E413', message: `bad ${API_KEY} ${BODY}` });
    const dispatcher = createDispatcher({ providers: [provider()] });
    const failed: unknown[] = [];
    dispatcher.on('failed', (event) => failed.push(event));
    const error = await failure(dispatcher.send({ to: TO, body: BODY }));
    expect(error.code).toBe('REJECTED');
    expect(failed).toHaveLength(1);
    const text = inspect(failed[0], { depth: 10 });
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('482913');
  });

  it("a delivery report of a message it sent carries the send's dispatch id and reference", async () => {
    const kaleyra = provider();
    const dispatcher = createDispatcher({ providers: [kaleyra] });
    const result = await dispatcher.send({ to: TO, body: BODY, reference: 'login-42' });
    const delivered: DeliveryEvent[] = [];
    dispatcher.on('delivered', (event) => delivered.push(event));
    dispatcher.report(
      kaleyra.parseDeliveryReport({
        message_id: result.messageId,
        status: 'DELIVRD',
        recipient: '14155550123',
      }),
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({
      id: result.id,
      reference: 'login-42',
      provider: 'kaleyra',
      messageId: result.messageId,
      to: TO,
    });
  });
});

describe('secrets: no API key (or body) in any error', () => {
  /** Every rendering of the error and of each error in its cause chain: what a logger could print. */
  function renderings(error: unknown): string[] {
    const out: string[] = [inspect(error, { depth: 20 })];
    const seen = new Set<unknown>();
    let node: unknown = error;
    while (node !== undefined && node !== null && !seen.has(node)) {
      seen.add(node);
      out.push(String(node), inspect(node, { depth: 20 }));
      if (node instanceof Error) out.push(node.message, node.stack ?? '');
      try {
        out.push(JSON.stringify(node) ?? '');
      } catch {
        // A cause that cannot be serialised cannot leak through JSON either.
      }
      node = (node as { cause?: unknown }).cause;
    }
    return out;
  }
  function expectClean(error: OtpError) {
    for (const text of renderings(error)) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(BODY);
      expect(text).not.toContain('482913');
    }
  }
  const slow = () =>
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );

  const cases: [string, () => void, Partial<KaleyraProviderOptions>][] = [
    ['401', () => serve(401, { code: 'E401', message: `Invalid api-key ${API_KEY}` }), {}],
    ['401 from the emulator (wrong key)', () => undefined, { apiKey: 'wrong-key-but-long' }],
    ['429', () => emulator.failNext({ kind: 'rate-limit', retryAfter: 3 }), {}],
    ['503', () => serve(503, `<html>${API_KEY} ${BODY}</html>`), {}],
    ['E404', () => serveJson(400, ERROR_E404), {}],
    ['network', () => server.use(http.post(ENDPOINT, () => HttpResponse.error())), {}],
    ['timeout', slow, { timeoutMs: 30 }],
    ['malformed', () => serve(200, `<html>${API_KEY} ${BODY}</html>`), {}],
    ['wrong shape', () => serve(200, { id: API_KEY, body: BODY }), {}],
  ];

  it.each(cases)('%s', async (_name, arrange, options) => {
    arrange();
    const error = await failure(provider(options).send({ to: TO, body: BODY }, context()));
    expectClean(error);
  });

  it('an abort, with the caller aborting mid-request', async () => {
    slow();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    expect(error.code).toBe('ABORTED');
    expectClean(error);
  });

  it("Kaleyra's own message echoing the key and the body: both appear as [redacted]", async () => {
    serve(400, {
      code: 'E413',
      message: `Validation failed for api-key ${API_KEY}: body "${BODY}" is not allowed`,
      error: { body: BODY },
    });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe('REJECTED');
    expect(error.message).toBe(
      'kaleyra: the vendor refused the message: Validation failed for api-key [redacted]: body "[redacted]" is not allowed (E413, HTTP 400)',
    );
    expectClean(error);
  });

  it('the same for a 401 and a 429 that echo them', async () => {
    for (const status of [401, 429, 503]) {
      serve(status, { code: 'E999', message: `key ${API_KEY} body ${BODY}` });
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error.message).toContain('key [redacted] body [redacted]');
      expectClean(error);
    }
  });
});
