import { RETRYABLE_BY_DEFAULT } from '@otpkit/core';
import { describe, expect, it, vi } from 'vitest';
import {
  BODY,
  context,
  ERROR_E404,
  failure,
  provider,
  SEED_TEMPLATE_ID,
  SUCCESS,
  SUCCESS_INDIA,
  serve,
  serveJson,
  TO,
} from './__fixtures__/provider-setup.js';
import { KALEYRA_ERROR_CODES } from './kaleyra-errors.js';
import { parseKaleyraTime } from './kaleyra-provider.js';

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
