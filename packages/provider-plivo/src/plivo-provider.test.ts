import { assertNoSecrets, captureRequests, rejectionOf } from '@otpkit/provider-conformance';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import success from './__fixtures__/send-success.json' with { type: 'json' };
import { createPlivoEmulator } from './plivo-emulator.js';
import { createPlivoProvider } from './plivo-provider.js';

const credentials = { authId: 'MAPROVIDER0000000001', authToken: 'Plivo-provider-secret-token-0001' };
const emulator = createPlivoEmulator(credentials);
const server = setupServer(...emulator.handlers);
const context = () => ({ signal: new AbortController().signal, attempt: 1 });
const message = { to: '+919812345678', body: 'Your code is 482913' };
const provider = createPlivoProvider({ ...credentials, src: '+14155550100' });
const ENDPOINT = `https://api.plivo.com/v1/Account/${credentials.authId}/Message/`;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

describe('the request', () => {
  it('posts JSON to /v1/Account/{authId}/Message/ with HTTP Basic auth, as the SDK does', async () => {
    const seen = captureRequests({ server, http }, ENDPOINT, JSON.stringify(success), 202);
    const receipt = await provider.send(message, context());
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(ENDPOINT);
    const basic = Buffer.from(`${credentials.authId}:${credentials.authToken}`).toString('base64');
    expect(request!.headers.get('authorization')).toBe(`Basic ${basic}`);
    expect(request!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(request!.text)).toEqual({
      src: '+14155550100',
      dst: '+919812345678',
      text: message.body,
      type: 'sms',
    });
    expect(receipt).toMatchObject({
      provider: 'plivo',
      messageId: '5b40a428-bfc7-4daf-9d06-726c558bf3b8',
      to: message.to,
    });
  });

  it("sends India's DLT fields, the callback URL and the message's sender and template over the options'", async () => {
    const dlt = createPlivoProvider({
      ...credentials,
      src: 'DEFSRC',
      callbackUrl: 'https://app.example/default',
      dltEntityId: '1201159000000000001',
      dltTemplateId: '1207161000000000001',
      dltTemplateCategory: 'transactional',
    });
    await dlt.send(
      {
        ...message,
        sender: 'OTPKIT',
        templateId: '1207161000000000999',
        callbackUrl: 'https://app.example/dlr',
      },
      context(),
    );
    expect(emulator.requests[0]?.form).toEqual({
      src: 'OTPKIT',
      dst: '+919812345678',
      text: message.body,
      type: 'sms',
      url: 'https://app.example/dlr',
      method: 'POST',
      dlt_entity_id: '1201159000000000001',
      dlt_template_id: '1207161000000000999',
      dlt_template_category: 'transactional',
    });
    expect(emulator.requests[0]?.headers.authorization).toBe('[redacted]');
  });

  it('sends from a powerpack when there is no sender, and needs one or the other', async () => {
    const powerpackUuid = 'c5a5d3a8-52a4-4f5e-9d43-5d6f1e0c1a2b';
    await createPlivoProvider({ ...credentials, powerpackUuid }).send(message, context());
    expect(emulator.requests[0]?.form).toMatchObject({ powerpack_uuid: powerpackUuid });
    expect(emulator.requests[0]?.form.src).toBeUndefined();
    const error = await rejectionOf(createPlivoProvider(credentials).send(message, context()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('failures', () => {
  const cases: [string, Parameters<typeof emulator.failNext>[0], string, string | undefined][] = [
    [
      'HTTP 403: a missing geo permission is REJECTED, not AUTHENTICATION',
      { kind: 'geo-permission' },
      'REJECTED',
      'geo-permission',
    ],
    [
      'HTTP 401',
      { kind: 'error', status: 401, message: 'Authentication failed' },
      'AUTHENTICATION',
      undefined,
    ],
    [
      'HTTP 404: no such account',
      { kind: 'error', status: 404, message: 'not found' },
      'AUTHENTICATION',
      'resource-not-found',
    ],
    ['HTTP 400', { kind: 'error', status: 400, message: 'invalid dst parameter' }, 'REJECTED', undefined],
    [
      'HTTP 400 insufficient credit',
      { kind: 'error', status: 400, message: 'Insufficient Credit' },
      'REJECTED',
      undefined,
    ],
    ['HTTP 422', { kind: 'error', status: 422, message: 'unprocessable' }, 'REJECTED', undefined],
    ['HTTP 429', { kind: 'rate-limit', retryAfter: 2 }, 'RATE_LIMITED', undefined],
    ['HTTP 500', { kind: 'unavailable', status: 500 }, 'PROVIDER_UNAVAILABLE', undefined],
    [
      'a 202 without message_uuid',
      { kind: 'reply', status: 202, body: { api_id: 'x', message: 'message(s) queued' } },
      'INVALID_RESPONSE',
      undefined,
    ],
    [
      'a 202 that queued nothing: invalid_number',
      {
        kind: 'reply',
        status: 202,
        body: { api_id: 'x', message_uuid: [], invalid_number: ['919812345678'] },
      },
      'REJECTED',
      'invalid-number',
    ],
  ];
  it.each(cases)('%s', async (_name, fault, code, providerCode) => {
    emulator.failNext(fault);
    const error = await rejectionOf(provider.send(message, context()));
    expect(error.code).toBe(code);
    expect(error.provider).toBe('plivo');
    expect(error.providerCode).toBe(providerCode);
    assertNoSecrets(error, [credentials.authToken, message.body]);
  });

  it("keeps Plivo's error text, an object one as JSON, the token and the body out", async () => {
    server.use(
      http.post(ENDPOINT, () =>
        Response.json(
          { api_id: 'a', error: { dst: `bad ${message.body}`, src: 'unknown' } },
          { status: 400 },
        ),
      ),
    );
    const error = await rejectionOf(provider.send(message, context()));
    expect(error.code).toBe('REJECTED');
    expect(error.message).toContain('"src":"unknown"');
    expect(error.message).not.toContain('482913');
    expect(error.retryAfterMs).toBeUndefined();
  });
});
