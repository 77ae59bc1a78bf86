import { rejectionOf } from '@otpkit/provider-conformance';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  BODY,
  context,
  OPTED_OUT,
  provider,
  serve,
  TO,
  telnyxErrors,
} from './__fixtures__/provider-setup.js';
import { TELNYX_ERROR_CODES } from './telnyx-errors.js';

const send = () => rejectionOf(provider().send({ to: TO, body: BODY }, context()));

describe("Telnyx's errors, by errors[0].code first", () => {
  it('an opted-out recipient (40300) is REJECTED whatever the 4xx status, 403 included', async () => {
    for (const status of [400, 403, 409, 422]) {
      serve(status, OPTED_OUT);
      const error = await send();
      expect(error).toMatchObject({ code: 'REJECTED', retryable: false, providerCode: '40300', status });
      expect(error.message).toContain('Blocked due to STOP message');
    }
  });

  it('the emulator answers 40300 for a number that sent STOP', async () => {
    const error = await rejectionOf(provider().send({ to: '+14155550999', body: BODY }, context()));
    expect(error).toMatchObject({ code: 'REJECTED', providerCode: '40300', status: 409 });
  });

  it('every row of the table, at 400 and at 403', async () => {
    for (const [code, rule] of Object.entries(TELNYX_ERROR_CODES)) {
      for (const status of [400, 403]) {
        serve(status, telnyxErrors(code, rule.title));
        const error = await send();
        expect([code, status, error.code]).toEqual([code, status, rule.code]);
        expect(error.providerCode).toBe(code);
      }
    }
  });

  it('a number code is read as its digits', async () => {
    serve(422, telnyxErrors(40310, "Invalid 'to' address"));
    expect(await send()).toMatchObject({ code: 'REJECTED', providerCode: '40310' });
  });

  it('401 and 403 without a code of the table are AUTHENTICATION', async () => {
    serve(401, telnyxErrors('10009', 'Authentication failed'));
    expect(await send()).toMatchObject({ code: 'AUTHENTICATION', status: 401 });
    serve(403, telnyxErrors('99999', 'Something new'));
    expect(await send()).toMatchObject({ code: 'AUTHENTICATION', providerCode: '99999' });
    serve(403, '<html>Forbidden</html>');
    expect((await send()).code).toBe('AUTHENTICATION');
  });

  it('429 and 5xx are classified by status, whatever the code', async () => {
    serve(429, telnyxErrors('40300'), { 'retry-after': '5' });
    expect(await send()).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 5000 });
    serve(500, telnyxErrors('40300'));
    expect(await send()).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    serve(408, telnyxErrors('10008', 'Request timeout'));
    expect(await send()).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  });

  it('a code without a row is REJECTED at other 4xx; errors inside a 2xx are failures', async () => {
    serve(400, telnyxErrors('12345', 'New'));
    expect(await send()).toMatchObject({ code: 'REJECTED', providerCode: '12345' });
    serve(200, OPTED_OUT);
    expect(await send()).toMatchObject({ code: 'REJECTED', providerCode: '40300', status: 200 });
  });

  it('a 2xx without data.id, or not JSON, is INVALID_RESPONSE', async () => {
    for (const body of [{ data: {} }, { data: { id: '' } }, { data: { id: 'a\nb' } }, '{', { errors: [] }]) {
      serve(200, body);
      expect((await send()).code).toBe('INVALID_RESPONSE');
    }
  });

  it('keeps the key and the code out of the error, even when Telnyx echoes them', async () => {
    serve(400, telnyxErrors('10015', 'Bad Request', `bad request ${API_KEY} for "${BODY}"`));
    const error = await send();
    const text = JSON.stringify({ ...error.toJSON(), message: error.message });
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('482913');
  });
});
