import { inspect } from 'node:util';
import { configFromEnv, createOtpKit, type Dispatcher, isOtpError, type OtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVonageEmulator } from './testing.js';
import { vonagePlugin } from './vonage-plugin.js';

const API_KEY = 'a1b2c3d4';
const API_SECRET = 'Vonage-plugin-secret-0001';
const emulator = createVonageEmulator({ apiKey: API_KEY, apiSecret: API_SECRET });
const server = setupServer(...emulator.handlers);
const plugins = [vonagePlugin];

const env = {
  OTPKIT_PROVIDER: 'vonage',
  VONAGE_API_KEY: API_KEY,
  VONAGE_API_SECRET: API_SECRET,
  VONAGE_FROM: 'OTPKIT',
};

const opened: Dispatcher[] = [];
const open = (dispatcher: Dispatcher) => {
  opened.push(dispatcher);
  return dispatcher;
};

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((dispatcher) => dispatcher.close()));
  emulator.reset();
});
afterAll(() => server.close());

function configError(fn: () => unknown): OtpError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_CONFIG'), `expected INVALID_CONFIG, got ${String(thrown)}`).toBe(true);
  return thrown as OtpError;
}

describe('vonagePlugin', () => {
  it('has the id, the schema and the VONAGE_* variables', () => {
    expect(vonagePlugin.id).toBe('vonage');
    expect(vonagePlugin.env).toEqual({
      VONAGE_API_KEY: 'apiKey',
      VONAGE_API_SECRET: 'apiSecret',
      VONAGE_FROM: 'from',
      VONAGE_BASE_URL: 'baseUrl',
    });
  });

  it('sends through Vonage when OTPKIT_PROVIDER=vonage, with VONAGE_* read from the environment', async () => {
    const dispatcher = open(createOtpKit(configFromEnv(env, { plugins }), { plugins }));
    expect(dispatcher.providers).toEqual(['vonage']);
    const result = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
    expect(result.provider).toBe('vonage');
    expect(result.messageId).toMatch(/^[0-9A-F]{16}$/);
    expect(emulator.accepted('+14155550123')).toBe(1);
    expect(emulator.requests[0]).toMatchObject({
      method: 'POST',
      path: '/sms/json',
      authorized: true,
      form: { api_key: API_KEY, api_secret: '[redacted]', from: 'OTPKIT', to: '14155550123' },
    });
  });

  it('VONAGE_BASE_URL points the provider at another host (a path kept, a trailing slash dropped)', async () => {
    const proxy = createVonageEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: 'https://proxy.example.com/vonage',
    });
    server.use(...proxy.handlers);
    const dispatcher = open(
      createOtpKit(
        configFromEnv({ ...env, VONAGE_BASE_URL: 'https://proxy.example.com/vonage/' }, { plugins }),
        { plugins },
      ),
    );
    await dispatcher.send({ to: '+447700900000', body: 'Your code is 482913' });
    expect(proxy.accepted('447700900000')).toBe(1);
    expect(emulator.requests).toHaveLength(0);
    server.resetHandlers();
  });

  it('a wrong secret is AUTHENTICATION (status 4 inside an HTTP 200), never echoing either secret', async () => {
    const wrong = 'Vonage-wrong-secret-0002';
    const dispatcher = open(
      createOtpKit(configFromEnv({ ...env, VONAGE_API_SECRET: wrong }, { plugins }), { plugins }),
    );
    const error = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' }).then(
      () => undefined,
      (caught: unknown) => caught as OtpError,
    );
    expect(error).toMatchObject({ code: 'AUTHENTICATION', providerCode: '4', status: 200 });
    const everything = [error!.message, JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(API_SECRET);
  });

  it('names a missing secret by its path, and VONAGE_API_SECRET is where it comes from', () => {
    const { VONAGE_API_SECRET: _, ...withoutSecret } = env;
    const error = configError(() => createOtpKit(configFromEnv(withoutSecret, { plugins }), { plugins }));
    expect(error.issues?.map((issue) => issue.path)).toEqual(['providers.vonage.apiSecret']);
    expect(error.message).toContain('providers.vonage.apiSecret');
  });

  it('reports every wrong option at once, never printing a value', () => {
    const badSecret = 'secret with spaces 0003';
    const error = configError(() =>
      createOtpKit(
        configFromEnv(
          { OTPKIT_PROVIDER: 'vonage', VONAGE_API_SECRET: badSecret, VONAGE_BASE_URL: 'ftp://x' },
          { plugins },
        ),
        { plugins },
      ),
    );
    expect(error.issues?.map((issue) => issue.path)).toEqual([
      'providers.vonage.apiKey',
      'providers.vonage.apiSecret',
      'providers.vonage.from',
      'providers.vonage.baseUrl',
    ]);
    const everything = [error.message, JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
    expect(everything).not.toContain(badSecret);
    expect(everything).not.toContain('with spaces');
  });

  it('takes ttlMs and timeoutMs from a config object', async () => {
    const dispatcher = open(
      createOtpKit(
        {
          provider: 'vonage',
          providers: {
            vonage: {
              apiKey: API_KEY,
              apiSecret: API_SECRET,
              from: 'OTPKIT',
              ttlMs: 300_000,
              timeoutMs: 5000,
            },
          },
        },
        { plugins },
      ),
    );
    await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
    expect(emulator.requests[0]?.form.ttl).toBe('300000');
  });
});
