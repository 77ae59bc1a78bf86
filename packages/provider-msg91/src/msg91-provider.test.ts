import { assertNoSecrets, captureRequests, rejectionOf } from '@otpkit/provider-conformance';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import errorTemplate from './__fixtures__/flow-error-template.json' with { type: 'json' };
import success from './__fixtures__/flow-success.json' with { type: 'json' };
import { createMsg91Emulator } from './msg91-emulator.js';
import { createMsg91Provider } from './msg91-provider.js';

const authKey = 'msg91-provider-secret-key-0001';
const templateId = '6650a1b2c3d4e5f60718293a';
const emulator = createMsg91Emulator({ authKey });
const server = setupServer(...emulator.handlers);
const context = () => ({ signal: new AbortController().signal, attempt: 1 });
const message = { to: '+919812345678', body: 'Your code is 482913. Valid for 10 minutes.' };
const provider = createMsg91Provider({ authKey, templateId });
const FLOW = 'https://control.msg91.com/api/v5/flow';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

describe('the request', () => {
  it('posts the Flow API as MSG91 documents it: authkey header, JSON, template_id, recipients', async () => {
    const seen = captureRequests({ server, http }, FLOW, JSON.stringify(success));
    const receipt = await provider.send(message, context());
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(FLOW);
    expect(request!.headers.get('authkey')).toBe(authKey);
    expect(request!.headers.get('content-type')).toBe('application/json');
    expect(request!.headers.get('accept')).toBe('application/json');
    expect(request!.headers.get('authorization')).toBeNull();
    expect(JSON.parse(request!.text)).toEqual({
      template_id: templateId,
      recipients: [{ mobiles: '919812345678', otp: '482913' }],
    });
    expect(receipt).toMatchObject({
      provider: 'msg91',
      messageId: '5762846b4f8d285d378b4567',
      to: message.to,
    });
  });

  it("takes the message's template id and sender over the options', and the code variable from the options", async () => {
    const custom = createMsg91Provider({ authKey, templateId, sender: 'DEFSND', codeVariable: 'VAR1' });
    await custom.send(
      { ...message, templateId: 'tpl_other', sender: 'OTPKIT', callbackUrl: 'https://app.test/dlr' },
      context(),
    );
    expect(emulator.requests[0]?.body).toEqual({
      template_id: 'tpl_other',
      sender: 'OTPKIT',
      recipients: [{ mobiles: '919812345678', VAR1: '482913' }],
    });
    expect(emulator.requests[0]?.headers.authkey).toBe('[redacted]');
  });

  it('sends the variables a function gives instead of the code alone, and refuses what is not text', async () => {
    const custom = createMsg91Provider({
      authKey,
      templateId,
      variables: ({ body }) => ({ OTP: body.slice(13, 19), minutes: '10' }),
    });
    await custom.send(message, context());
    expect(emulator.requests[0]?.body).toMatchObject({
      recipients: [{ mobiles: '919812345678', OTP: '482913', minutes: '10' }],
    });
    const wrong = createMsg91Provider({ authKey, templateId, variables: () => ({ otp: 482913 }) as never });
    expect((await rejectionOf(wrong.send(message, context()))).code).toBe('INVALID_CONFIG');
  });

  it('refuses a send without a template id before any request', async () => {
    const error = await rejectionOf(createMsg91Provider({ authKey }).send(message, context()));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', provider: 'msg91' });
    expect(error.message).toContain('templateId');
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses a body without a code, without echoing it', async () => {
    const error = await rejectionOf(provider.send({ ...message, body: 'Welcome aboard!' }, context()));
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error.message).not.toContain('Welcome');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('failures', () => {
  const cases: [string, Parameters<typeof emulator.failNext>[0], string, string | undefined][] = [
    [
      'an HTTP 200 type "error" without a code',
      { kind: 'error', message: 'Template ID Missing or Invalid Template' },
      'REJECTED',
      undefined,
    ],
    [
      'an auth key refused inside an HTTP 200',
      { kind: 'error', message: 'Invalid authkey' },
      'AUTHENTICATION',
      'invalid-authkey',
    ],
    [
      '"Authentication failure" inside an HTTP 200',
      { kind: 'error', message: 'Authentication failure' },
      'AUTHENTICATION',
      'invalid-authkey',
    ],
    [
      'an IP not whitelisted (API security)',
      { kind: 'error', message: 'IP not whitelisted', code: '418' },
      'AUTHENTICATION',
      '418',
    ],
    [
      'an IP not whitelisted, by its text alone',
      { kind: 'error', message: 'Your IP is not whitelisted' },
      'AUTHENTICATION',
      'ip-not-whitelisted',
    ],
    [
      'code 207 (invalid auth key)',
      { kind: 'error', message: 'Invalid', code: '207' },
      'AUTHENTICATION',
      '207',
    ],
    [
      'code 301 (insufficient balance)',
      { kind: 'error', message: 'Insufficient balance', code: '301' },
      'REJECTED',
      '301',
    ],
    [
      'code 202 (invalid mobile)',
      { kind: 'error', message: 'Invalid mobile number', code: '202' },
      'REJECTED',
      '202',
    ],
    ['an unknown code', { kind: 'error', message: 'Something', code: '999' }, 'REJECTED', '999'],
    ['HTTP 401', { kind: 'error', message: 'Unauthorized', status: 401 }, 'AUTHENTICATION', undefined],
    ['HTTP 400 type "error"', { kind: 'error', message: 'Bad request', status: 400 }, 'REJECTED', undefined],
    ['HTTP 429', { kind: 'rate-limit' }, 'RATE_LIMITED', undefined],
    ['HTTP 503', { kind: 'unavailable' }, 'PROVIDER_UNAVAILABLE', undefined],
    [
      'HTTP 200 without type or message',
      { kind: 'reply', status: 200, body: { ok: true } },
      'INVALID_RESPONSE',
      undefined,
    ],
    [
      'type "success" without a request id',
      { kind: 'reply', status: 200, body: { type: 'success' } },
      'INVALID_RESPONSE',
      undefined,
    ],
  ];
  it.each(cases)('%s', async (_name, fault, code, providerCode) => {
    emulator.failNext(fault);
    const error = await rejectionOf(provider.send(message, context()));
    expect(error.code).toBe(code);
    expect(error.provider).toBe('msg91');
    expect(error.providerCode).toBe(providerCode);
    assertNoSecrets(error, [authKey, message.body]);
  });

  it("keeps MSG91's text in the message, the code and key out of it", async () => {
    server.use(
      http.post(FLOW, () => Response.json({ ...errorTemplate, message: `bad otp 482913 for ${authKey}` })),
    );
    const error = await rejectionOf(provider.send(message, context()));
    expect(error.code).toBe('REJECTED');
    expect(error.message).toContain('bad otp');
    expect(error.message).not.toContain('482913');
    expect(error.message).not.toContain(authKey);
  });
});
