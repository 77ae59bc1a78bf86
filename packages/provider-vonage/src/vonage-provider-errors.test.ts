import { RETRYABLE_BY_DEFAULT } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import {
  BODY,
  context,
  emulator,
  failure,
  parts,
  provider,
  SUCCESS,
  serve,
  TO,
} from './__fixtures__/provider-setup.js';
import { VONAGE_ERROR_CODES } from './vonage-errors.js';

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
