import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  BODY,
  context,
  ERROR_21211,
  emulator,
  failure,
  provider,
  serve,
  server,
  TO,
} from './__fixtures__/provider-setup.js';
import { TWILIO_ERROR_CODES } from './twilio-errors.js';
import { parseTwilioDate } from './twilio-provider.js';

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
