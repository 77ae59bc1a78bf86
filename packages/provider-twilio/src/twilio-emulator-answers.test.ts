import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_SID,
  API_KEY_SECRET,
  API_KEY_SID,
  AUTH_TOKEN,
  basic,
  emulator,
  GOOD_AUTH,
  good,
  PATH,
  post,
  URL_,
} from './__fixtures__/emulator-setup.js';

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
