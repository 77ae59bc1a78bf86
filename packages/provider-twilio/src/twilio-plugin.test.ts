import { configFromEnv, createOtpKit, type Dispatcher, isOtpError, type OtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioEmulator } from './testing.js';
import { TwilioOptionsSchema } from './twilio-options.js';
import { twilioPlugin } from './twilio-plugin.js';

const ACCOUNT_SID = `AC${'5a'.repeat(16)}`;
const AUTH_TOKEN = 'twilio-plugin-auth-token-0001';
const API_KEY_SID = `SK${'6b'.repeat(16)}`;
const API_KEY_SECRET = 'twilio-plugin-api-secret-0001';
const MG = `MG${'7c'.repeat(16)}`;
const PROXY = 'https://twilio-proxy.example.com';

const emulator = createTwilioEmulator({
  accountSid: ACCOUNT_SID,
  authToken: AUTH_TOKEN,
  apiKeySid: API_KEY_SID,
  apiKeySecret: API_KEY_SECRET,
});
const proxied = createTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: PROXY });
const server = setupServer(...emulator.handlers, ...proxied.handlers);
const plugins = [twilioPlugin];

const opened: Dispatcher[] = [];
const open = (env: Record<string, string | undefined>) => {
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  opened.push(dispatcher);
  return dispatcher;
};

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((dispatcher) => dispatcher.close()));
  emulator.reset();
  proxied.reset();
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

describe('twilioPlugin', () => {
  it('has the id, the options schema and the documented variables', () => {
    expect(twilioPlugin.id).toBe('twilio');
    expect(twilioPlugin.options).toBe(TwilioOptionsSchema);
    expect(twilioPlugin.env).toEqual({
      TWILIO_ACCOUNT_SID: 'accountSid',
      TWILIO_AUTH_TOKEN: 'authToken',
      TWILIO_API_KEY_SID: 'apiKeySid',
      TWILIO_API_KEY_SECRET: 'apiKeySecret',
      TWILIO_FROM: 'from',
      TWILIO_MESSAGING_SERVICE_SID: 'messagingServiceSid',
      TWILIO_BASE_URL: 'baseUrl',
    });
  });
});

describe('OTPKIT_PROVIDER=twilio with TWILIO_* variables', () => {
  it('Auth Token and From', async () => {
    const dispatcher = open({
      OTPKIT_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: '+15017122661',
    });
    expect(dispatcher.providers).toEqual(['twilio']);
    const result = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
    expect(result.provider).toBe('twilio');
    expect(result.messageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(emulator.accepted('+14155550123')).toBe(1);
    expect(emulator.requests[0]).toMatchObject({
      auth: 'auth-token',
      form: { To: '+14155550123', From: '+15017122661', Body: 'Your code is 482913' },
    });
  });

  it('API key and Messaging Service', async () => {
    const dispatcher = open({
      OTPKIT_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_API_KEY_SID: API_KEY_SID,
      TWILIO_API_KEY_SECRET: API_KEY_SECRET,
      TWILIO_MESSAGING_SERVICE_SID: MG,
    });
    await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
    expect(emulator.requests[0]).toMatchObject({
      auth: 'api-key',
      form: { To: '+14155550123', MessagingServiceSid: MG, Body: 'Your code is 482913' },
    });
    expect(emulator.requests[0]!.form.From).toBeUndefined();
  });

  it('TWILIO_BASE_URL points at another host', async () => {
    const dispatcher = open({
      OTPKIT_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: 'OTPKIT',
      TWILIO_BASE_URL: `${PROXY}/`,
    });
    await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
    expect(proxied.accepted()).toBe(1);
    expect(emulator.accepted()).toBe(0);
  });

  it('refused credentials surface as AUTHENTICATION through the dispatcher', async () => {
    const dispatcher = open({
      OTPKIT_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: 'a-wrong-token',
      TWILIO_FROM: 'OTPKIT',
    });
    const error = await dispatcher
      .send({ to: '+14155550123', body: 'Your code is 482913' })
      .catch((e: unknown) => e);
    expect(isOtpError(error, 'AUTHENTICATION')).toBe(true);
    expect((error as OtpError).providerCode).toBe('20003');
  });
});

describe('wrong or missing variables: named by their option path, values never echoed', () => {
  it('nothing but OTPKIT_PROVIDER → accountSid, authToken and from', () => {
    const error = configError(() => open({ OTPKIT_PROVIDER: 'twilio' }));
    expect(error.issues?.map((issue) => issue.path)).toEqual([
      'providers.twilio.accountSid',
      'providers.twilio.authToken',
      'providers.twilio.from',
    ]);
  });

  it('an API key SID without its secret → providers.twilio.apiKeySecret', () => {
    const error = configError(() =>
      open({
        OTPKIT_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_API_KEY_SID: API_KEY_SID,
        TWILIO_FROM: 'A',
      }),
    );
    expect(error.issues?.map((issue) => issue.path)).toEqual(['providers.twilio.apiKeySecret']);
  });

  it('both TWILIO_FROM and TWILIO_MESSAGING_SERVICE_SID → providers.twilio.from', () => {
    const error = configError(() =>
      open({
        OTPKIT_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: 'A',
        TWILIO_MESSAGING_SERVICE_SID: MG,
      }),
    );
    expect(error.issues?.map((issue) => issue.path)).toEqual(['providers.twilio.from']);
    expect(error.message).not.toContain(AUTH_TOKEN);
  });

  it('a malformed token is refused without echoing it', () => {
    const error = configError(() =>
      open({
        OTPKIT_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: 'tok3n with spaces',
        TWILIO_FROM: 'A',
      }),
    );
    expect(error.issues?.map((issue) => issue.path)).toEqual(['providers.twilio.authToken']);
    expect(JSON.stringify(error) + error.message).not.toContain('tok3n');
  });

  it('in code: createOtpKit names a missing sender at providers.twilio.from', () => {
    const error = configError(() =>
      createOtpKit(
        { provider: 'twilio', providers: { twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } } },
        { plugins },
      ),
    );
    expect(error.issues?.map((issue) => issue.path)).toEqual(['providers.twilio.from']);
  });
});
