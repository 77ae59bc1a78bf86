import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  API_SECRET,
  BODY,
  capture,
  context,
  ENDPOINT,
  emulator,
  failure,
  fields,
  MISSING_TO,
  parts,
  provider,
  SUCCESS,
  serve,
  server,
  TO,
} from './__fixtures__/provider-setup.js';
import { createVonageEmulator } from './testing.js';
import { VONAGE_CLIENT_REF_MAX_LENGTH } from './vonage-provider.js';

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
