import { isOtpError } from '@otpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilioEmulator, type TwilioEmulatorServer } from './testing.js';
import { createTwilioProvider } from './twilio-provider.js';

const ACCOUNT_SID = `AC${'ab'.repeat(16)}`;
const AUTH_TOKEN = 'emulator-test-auth-token';
const API_KEY_SID = `SK${'cd'.repeat(16)}`;
const API_KEY_SECRET = 'emulator-test-api-secret';
const PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const URL_ = `https://api.twilio.com${PATH}`;

const emulator = createTwilioEmulator({
  accountSid: ACCOUNT_SID,
  authToken: AUTH_TOKEN,
  apiKeySid: API_KEY_SID,
  apiKeySecret: API_KEY_SECRET,
});
afterEach(() => emulator.reset());

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const GOOD_AUTH = basic(ACCOUNT_SID, AUTH_TOKEN);

function post(
  form: Record<string, string>,
  {
    auth = GOOD_AUTH,
    url = URL_,
    method = 'POST',
  }: { auth?: string | null; url?: string; method?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth !== null) headers.authorization = auth;
  return emulator.handle(
    new Request(url, { method, headers, ...(method === 'GET' ? {} : { body: new URLSearchParams(form) }) }),
  );
}
const good = { To: '+15558675310', From: '+15017122661', Body: 'Your code is 482913' };

describe('authentication: HTTP Basic', () => {
  it('accepts the account SID with the Auth Token, and an API key', async () => {
    expect((await post(good)).status).toBe(201);
    expect((await post(good, { auth: basic(API_KEY_SID, API_KEY_SECRET) })).status).toBe(201);
    expect(emulator.requests.map((request) => request.auth)).toEqual(['auth-token', 'api-key']);
  });

  it.each([
    ['no header', null],
    ['a wrong token', basic(ACCOUNT_SID, 'wrong')],
    ['the API key SID with the Auth Token', basic(API_KEY_SID, AUTH_TOKEN)],
    ['the account SID with the API key secret', basic(ACCOUNT_SID, API_KEY_SECRET)],
    ['a bearer token', `Bearer ${AUTH_TOKEN}`],
    ['no colon', `Basic ${Buffer.from(ACCOUNT_SID).toString('base64')}`],
  ])('refuses %s with 401 and the 20003 body', async (_, auth) => {
    const response = await post(good, { auth });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    expect(emulator.requests.at(-1)).toMatchObject({ authorized: false, auth: undefined });
    expect(emulator.accepted()).toBe(0);
  });

  it("refuses valid credentials on another account's path", async () => {
    const other = `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages.json`;
    const response = await post(good, { url: other });
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe(20003);
  });

  it('records requests with the authorization header redacted', async () => {
    await post(good);
    const [request] = emulator.requests;
    expect(request).toMatchObject({ method: 'POST', path: PATH, form: good, authorized: true });
    expect(request!.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(emulator.requests)).not.toContain(GOOD_AUTH.slice(6));
  });
});

describe('routes', () => {
  it.each([
    ['another path', `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`, 'POST'],
    ['no .json suffix', `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages`, 'POST'],
    ['a GET', URL_, 'GET'],
  ])('%s → 404 in Twilio’s error shape', async (_, url, method) => {
    const response = await post(good, { url, method });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 20404, status: 404 });
  });
});

describe("Twilio's own checks", () => {
  it.each([
    ['no To', { From: good.From, Body: good.Body }, 21604],
    ['a To that is not E.164', { ...good, To: '5551234567' }, 21211],
    ['neither From nor MessagingServiceSid', { To: good.To, Body: good.Body }, 21603],
    ['no Body', { To: good.To, From: good.From }, 21602],
    ['a Body over 1600 characters', { ...good, Body: 'x'.repeat(1601) }, 21617],
    [
      'a StatusCallback with _ in the host',
      { ...good, StatusCallback: 'https://my_app.example.com/cb' },
      21609,
    ],
    ['a StatusCallback that is not a URL', { ...good, StatusCallback: 'not a url' }, 21609],
    [
      'a StatusCallback over 4000 characters',
      { ...good, StatusCallback: `https://a.example/${'x'.repeat(4000)}` },
      21609,
    ],
  ])('%s → 400 %i', async (_, form, code) => {
    const response = await post(form as Record<string, string>);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({
      code,
      status: 400,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
    });
    expect(typeof body.message).toBe('string');
    expect(emulator.accepted()).toBe(0);
  });

  it("21211's text names the number, like Twilio's", async () => {
    const body = await (await post({ ...good, To: '5551234567' })).json();
    expect(body.message).toBe("The 'To' number 5551234567 is not a valid phone number.");
  });
});

describe('a good request: 201 and a Message resource', () => {
  it('has the shape of the docs’ example, fresh SM sids, RFC 2822 dates', async () => {
    const first = await post({
      ...good,
      StatusCallback: 'https://app.example.com/cb',
      ValidityPeriod: '300',
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('content-type')).toBe('application/json');
    const message = await first.json();
    expect(Object.keys(message).sort()).toEqual([
      'account_sid',
      'api_version',
      'body',
      'date_created',
      'date_sent',
      'date_updated',
      'direction',
      'error_code',
      'error_message',
      'from',
      'messaging_service_sid',
      'num_media',
      'num_segments',
      'price',
      'price_unit',
      'sid',
      'status',
      'subresource_uris',
      'to',
      'uri',
    ]);
    expect(message).toMatchObject({
      account_sid: ACCOUNT_SID,
      api_version: '2010-04-01',
      body: good.Body,
      direction: 'outbound-api',
      error_code: null,
      from: good.From,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: '1',
      status: 'queued',
      to: good.To,
    });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${message.sid}.json`);
    expect(message.subresource_uris.media).toBe(
      `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${message.sid}/Media.json`,
    );
    expect(message.date_created).toMatch(
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(Math.abs(new Date(message.date_created).getTime() - Date.now())).toBeLessThan(5000);

    const second = await (await post(good)).json();
    expect(second.sid).not.toBe(message.sid);
  });

  it('with a Messaging Service: status accepted, from null', async () => {
    const MG = `MG${'ef'.repeat(16)}`;
    const message = await (await post({ To: good.To, MessagingServiceSid: MG, Body: good.Body })).json();
    expect(message).toMatchObject({ status: 'accepted', from: null, messaging_service_sid: MG });
  });

  it('counts accepted messages by recipient', async () => {
    await post(good);
    await post(good);
    await post({ ...good, To: '+447700900123' });
    expect(emulator.accepted(good.To)).toBe(2);
    expect(emulator.accepted('+447700900123')).toBe(1);
    expect(emulator.accepted('+10000000000')).toBe(0);
    expect(emulator.accepted()).toBe(3);
  });
});

describe('failNext and reset', () => {
  it('rate-limit: 429, 20429, Retry-After when given', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: 7 }).failNext({ kind: 'rate-limit' });
    const first = await post(good);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toMatchObject({ code: 20429, status: 429 });
    const second = await post(good);
    expect(second.headers.get('retry-after')).toBeNull();
  });

  it('unavailable: 503 by default, or the status given, 20500', async () => {
    emulator.failNext({ kind: 'unavailable' }).failNext({ kind: 'unavailable', status: 500 });
    const first = await post(good);
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ code: 20500, status: 503 });
    expect((await post(good)).status).toBe(500);
  });

  it('error: Twilio’s body for any code', async () => {
    emulator.failNext({ kind: 'error', code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const response = await post(good);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
      more_info: 'https://www.twilio.com/docs/errors/21610',
      status: 400,
    });
  });

  it('malformed and reply', async () => {
    emulator
      .failNext({ kind: 'malformed' })
      .failNext({ kind: 'reply', status: 202, body: { sid: 'SMx' }, headers: { 'x-test': '1' } });
    const malformed = await post(good);
    expect(malformed.status).toBe(200);
    expect(await malformed.text()).toContain('<html>');
    const reply = await post(good);
    expect(reply.status).toBe(202);
    expect(reply.headers.get('x-test')).toBe('1');
    expect(await reply.json()).toEqual({ sid: 'SMx' });
  });

  it('network: an error response', async () => {
    emulator.failNext({ kind: 'network' });
    expect((await post(good)).type).toBe('error');
  });

  it('delay: answers normally afterwards; Infinity ends when the request is aborted', async () => {
    emulator.failNext({ kind: 'delay', ms: 20 });
    const started = Date.now();
    expect((await post(good)).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);

    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const pending = emulator.handle(
      new Request(URL_, {
        method: 'POST',
        headers: { authorization: GOOD_AUTH },
        body: new URLSearchParams(good),
        signal: controller.signal,
      }),
    );
    setTimeout(() => controller.abort(), 10);
    expect((await pending).status).toBe(201);
  });

  it('times: the next n requests fail, then normal answers', async () => {
    emulator.failNext({ kind: 'unavailable' }, 2);
    expect((await post(good)).status).toBe(503);
    expect((await post(good)).status).toBe(503);
    expect((await post(good)).status).toBe(201);
  });

  it('reset forgets requests, counts and pending faults', async () => {
    emulator.failNext({ kind: 'unavailable' }, 3);
    await post(good);
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect((await post(good)).status).toBe(201);
    emulator.reset();
    expect(emulator.accepted()).toBe(0);
  });
});

describe('listen(): a real HTTP server', () => {
  let running: TwilioEmulatorServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('the provider sends through it over a socket, with both auth modes', async () => {
    running = await emulator.listen();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const byToken = createTwilioProvider({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: 'OTPKIT',
      baseUrl: running.url,
    });
    const byKey = createTwilioProvider({
      accountSid: ACCOUNT_SID,
      apiKeySid: API_KEY_SID,
      apiKeySecret: API_KEY_SECRET,
      from: 'OTPKIT',
      baseUrl: running.url,
    });
    const context = { signal: new AbortController().signal, attempt: 1 };
    const receipt = await byToken.send({ to: good.To, body: good.Body }, context);
    expect(receipt.messageId).toMatch(/^SM[0-9a-f]{32}$/);
    await byKey.send({ to: good.To, body: good.Body }, context);
    expect(emulator.requests.map((request) => [request.path, request.auth])).toEqual([
      [PATH, 'auth-token'],
      [PATH, 'api-key'],
    ]);
  });

  it('a network fault resets the connection: NETWORK', async () => {
    running = await emulator.listen();
    emulator.failNext({ kind: 'network' });
    const provider = createTwilioProvider({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: 'OTPKIT',
      baseUrl: running.url,
    });
    const outcome = await provider
      .send({ to: good.To, body: good.Body }, { signal: new AbortController().signal, attempt: 1 })
      .catch((error: unknown) => error);
    expect(isOtpError(outcome, 'NETWORK')).toBe(true);
  });
});
