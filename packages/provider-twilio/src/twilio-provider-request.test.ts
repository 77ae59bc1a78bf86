import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_SID,
  API_KEY_SECRET,
  API_KEY_SID,
  AUTH_TOKEN,
  apiKeyProvider,
  BODY,
  basic,
  capture,
  context,
  ENDPOINT,
  emulator,
  FROM,
  failure,
  fields,
  MG,
  provider,
  SUCCESS,
  serve,
  TO,
} from './__fixtures__/provider-setup.js';

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
