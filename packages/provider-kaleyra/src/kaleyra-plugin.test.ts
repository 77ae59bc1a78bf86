import { randomInt } from 'node:crypto';
import { configFromEnv, createOtpKit, type Dispatcher, isOtpError, type OtpError } from '@otpkit/core';
import { type FakeProvider, fakePlugin } from '@otpkit/provider-fake';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kaleyraPlugin } from './kaleyra-plugin.js';
import { createKaleyraEmulator } from './testing.js';

// ---- the app: the same code runs in tests (fake) and in production (Kaleyra) ----

const plugins = [kaleyraPlugin, fakePlugin];

/** How the app builds its dispatcher: from its environment only. */
function createAppDispatcher(env: Record<string, string | undefined>): Dispatcher {
  return createOtpKit(configFromEnv(env, { plugins }), { plugins });
}

/** The app function under test: it knows nothing about vendors. */
async function sendLoginCode(dispatcher: Dispatcher, phone: string) {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const result = await dispatcher.send({ to: phone, body: `${code} is your login code. Do not share it.` });
  return { code, provider: result.provider, messageId: result.messageId };
}

// ---- the vendor, emulated ----

const SID = 'HXPLUGIN0001IN';
const API_KEY = 'Ak-plugin-test-secret-0001';
const emulator = createKaleyraEmulator({ sid: SID, apiKey: API_KEY, region: 'in' });
const server = setupServer(...emulator.handlers);

const kaleyraEnv = {
  OTPKIT_PROVIDER: 'kaleyra',
  KALEYRA_SID: SID,
  KALEYRA_API_KEY: API_KEY,
  KALEYRA_SENDER: 'KLRHXA',
  KALEYRA_REGION: 'in',
  KALEYRA_TEMPLATE_ID: '1107160000000012345',
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

describe('swapping vendors by OTPKIT_PROVIDER, same app code', () => {
  it('OTPKIT_PROVIDER=fake: the code lands in the fake, nothing reaches Kaleyra', async () => {
    const dispatcher = open(createAppDispatcher({ OTPKIT_PROVIDER: 'fake' }));
    expect(dispatcher.providers).toEqual(['fake']);

    const sent = await sendLoginCode(dispatcher, '+919876543210');

    expect(sent.provider).toBe('fake');
    const fake = dispatcher.getProvider<FakeProvider>('fake')!;
    expect(fake.lastCode('+919876543210')).toBe(sent.code);
    expect(emulator.requests).toHaveLength(0);
  });

  it('OTPKIT_PROVIDER=kaleyra with KALEYRA_*: the same function sends through Kaleyra (emulated)', async () => {
    const dispatcher = open(createAppDispatcher(kaleyraEnv));
    expect(dispatcher.providers).toEqual(['kaleyra']);

    const sent = await sendLoginCode(dispatcher, '+919876543210');

    expect(sent.provider).toBe('kaleyra');
    expect(sent.messageId).toMatch(/:1$/);
    expect(emulator.accepted('+919876543210')).toBe(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: `/v1/${SID}/messages`,
      authorized: true,
      form: { to: '+919876543210', type: 'OTP', sender: 'KLRHXA', template_id: '1107160000000012345' },
    });
    expect(request!.form.body).toContain(sent.code);
  });

  it('FAKE_LATENCY_MS reaches the fake', async () => {
    const dispatcher = open(createAppDispatcher({ OTPKIT_PROVIDER: 'fake', FAKE_LATENCY_MS: '30' }));
    const started = Date.now();
    await sendLoginCode(dispatcher, '+14155550123');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('OTPKIT_FALLBACK=fake: when Kaleyra is down, the send fails over to the fake', async () => {
    const dispatcher = open(
      createAppDispatcher({ ...kaleyraEnv, OTPKIT_FALLBACK: 'fake', OTPKIT_RETRIES: '0' }),
    );
    expect(dispatcher.providers).toEqual(['kaleyra', 'fake']);
    emulator.failNext({ kind: 'unavailable', status: 503 });

    const sent = await sendLoginCode(dispatcher, '+919876543210');

    expect(sent.provider).toBe('fake');
    expect(emulator.requests).toHaveLength(1);
    expect(dispatcher.getProvider<FakeProvider>('fake')!.lastCode('+919876543210')).toBe(sent.code);
  });
});

describe('Kaleyra options in a config', () => {
  it('a missing apiKey is INVALID_CONFIG at providers.kaleyra.apiKey', () => {
    const error = configError(() =>
      createOtpKit({ provider: 'kaleyra', providers: { kaleyra: { sid: SID } } }, { plugins }),
    );
    expect(error.issues?.map((issue) => issue.path)).toEqual(['providers.kaleyra.apiKey']);
    expect(error.message).toContain('providers.kaleyra.apiKey:');
  });

  it('a missing KALEYRA_API_KEY is reported at the same path', () => {
    const { KALEYRA_API_KEY: _, ...env } = kaleyraEnv;
    const error = configError(() => createAppDispatcher(env));
    expect(error.issues?.map((issue) => issue.path)).toEqual(['providers.kaleyra.apiKey']);
  });

  it('an invalid apiKey is named with what was expected, its value never printed', () => {
    const badKey = 'Ak secret with spaces 0002';
    const error = configError(() =>
      createAppDispatcher({ ...kaleyraEnv, KALEYRA_API_KEY: badKey, KALEYRA_REGION: 'us' }),
    );
    expect(error.issues?.map((issue) => issue.path)).toEqual([
      'providers.kaleyra.apiKey',
      'providers.kaleyra.region',
    ]);
    expect(error.message).toContain(
      'providers.kaleyra.apiKey: expected a non-empty string without spaces (your Kaleyra API key)',
    );
    const everything = [error.message, String(error), JSON.stringify(error), error.stack].join('\n');
    expect(everything).not.toContain(badKey);
    expect(everything).not.toContain('secret with spaces');
  });

  it('the sid, the key and an unknown provider are all reported at once', () => {
    const error = configError(() =>
      createOtpKit(
        { provider: 'kaleyra', fallback: ['twilio'], providers: { kaleyra: { sid: '', apiKey: '' } } },
        { plugins },
      ),
    );
    expect(error.issues?.map((issue) => issue.path)).toEqual([
      'fallback.0',
      'providers.kaleyra.sid',
      'providers.kaleyra.apiKey',
    ]);
    expect(error.message).toContain('registered: kaleyra, fake');
    expect(error.message).toContain('@otpkit/provider-twilio');
  });
});
