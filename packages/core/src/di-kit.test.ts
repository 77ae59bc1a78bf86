// An app loads the Reflect polyfill before tsyringe; the di entry loads it too, but import sorting puts
// 'tsyringe' before './di.js', and tsyringe refuses to load without it.
import 'reflect-metadata';
import { container, inject, injectable } from 'tsyringe';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { registerOtpKit } from './di.js';
import { Dispatcher } from './dispatcher/index.js';
import { isOtpError } from './errors.js';
import { configFromEnv, type OtpKitConfig } from './kit/index.js';
import { defineProviderPlugin, type ProviderPlugin } from './plugin.js';
import { OTP_DISPATCHER_OPTIONS, OTP_PROVIDERS } from './tokens.js';
import type { OtpMessage, OtpProvider } from './types.js';

const message: OtpMessage = { to: '+919876543210', body: 'Your code is 482913' };

/** A provider that records the recipients it was given. */
function recording(id: string): OtpProvider & { sent: string[] } {
  const sent: string[] = [];
  return {
    id,
    sent,
    async send(msg) {
      sent.push(msg.to);
      return { provider: id, messageId: `${id}-${sent.length}`, to: msg.to, acceptedAt: new Date() };
    },
  };
}

/** The "vendor" of these tests: its instances are kept so the tests can look at what they sent. */
const built: ReturnType<typeof recording>[] = [];
const vendorPlugin = defineProviderPlugin({
  id: 'vendor',
  options: v.object({ apiKey: v.pipe(v.string('apiKey: expected a string'), v.minLength(1)) }),
  env: { VENDOR_API_KEY: 'apiKey' },
  create: () => {
    const provider = recording('vendor');
    built.push(provider);
    return provider;
  },
});
const backupPlugin = defineProviderPlugin({
  id: 'backup',
  options: v.object({}),
  create: () => recording('backup'),
});
const plugins = [vendorPlugin, backupPlugin] as ProviderPlugin[];

const config: OtpKitConfig = {
  provider: 'vendor',
  fallback: ['backup'],
  providers: { vendor: { apiKey: 'vk-secret-0001' } },
  timeoutMs: 2000,
  concurrency: 2,
};

/** An app service that takes the dispatcher from the container. */
@injectable()
class LoginService {
  constructor(@inject(Dispatcher) private readonly dispatcher: Dispatcher) {}

  async sendLoginCode(phone: string): Promise<string> {
    const result = await this.dispatcher.send({ to: phone, body: '482913 is your login code.' });
    return result.provider;
  }
}

/** A root of its own, so no test leaks registrations into tsyringe's global container. */
const freshRoot = () => container.createChildContainer();

const opened: Dispatcher[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((dispatcher) => dispatcher.close()));
  built.length = 0;
});

describe('registerOtpKit', () => {
  it('registers providers, settings and Dispatcher, so container.resolve(Dispatcher) works', async () => {
    const root = registerOtpKit(freshRoot(), config, { plugins });
    const dispatcher = root.resolve(Dispatcher);
    opened.push(dispatcher);
    expect(dispatcher).toBeInstanceOf(Dispatcher);
    expect(dispatcher.providers).toEqual(['vendor', 'backup']);
    expect(root.resolve<OtpProvider[]>(OTP_PROVIDERS).map((provider) => provider.id)).toEqual([
      'vendor',
      'backup',
    ]);
    expect(root.resolve(OTP_DISPATCHER_OPTIONS)).toEqual({ timeoutMs: 2000, concurrency: 2 });
    expect(root.resolve(Dispatcher)).toBe(dispatcher);

    const result = await dispatcher.send(message);
    expect(result.provider).toBe('vendor');
    expect(built).toHaveLength(1);
    expect(built[0]!.sent).toEqual([message.to]);
  });

  it('applies the dispatcher settings of the config', () => {
    const hang: OtpProvider = { id: 'hang', send: () => new Promise(() => {}) };
    const root = registerOtpKit(
      freshRoot(),
      { provider: 'hang', concurrency: 1, maxQueue: 0 },
      {
        plugins: [defineProviderPlugin({ id: 'hang', options: v.object({}), create: () => hang })],
      },
    );
    const dispatcher = root.resolve(Dispatcher);
    dispatcher.enqueue(message);
    expect(() => dispatcher.enqueue(message)).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }));
  });

  it('lets classes inject the dispatcher', async () => {
    const root = registerOtpKit(freshRoot(), config, { plugins });
    opened.push(root.resolve(Dispatcher));
    expect(await root.resolve(LoginService).sendLoginCode('+14155550123')).toBe('vendor');
  });

  it('works with configFromEnv', () => {
    const env = { OTPKIT_PROVIDER: 'vendor', OTPKIT_FALLBACK: 'backup', VENDOR_API_KEY: 'vk-1' };
    const root = registerOtpKit(freshRoot(), configFromEnv(env, { plugins }), { plugins });
    const dispatcher = root.resolve(Dispatcher);
    opened.push(dispatcher);
    expect(dispatcher.providers).toEqual(['vendor', 'backup']);
  });

  it('validates the config when registering, not on the first resolve, and registers nothing', () => {
    const root = freshRoot();
    let thrown: unknown;
    try {
      registerOtpKit(
        root,
        { provider: 'vendor', providers: { vendor: { apiKey: '' } }, retry: { minDelayMs: 9000 } },
        { plugins },
      );
    } catch (error) {
      thrown = error;
    }
    expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
    expect((thrown as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
      'providers.vendor.apiKey',
      'retry.maxDelayMs',
    ]);
    expect(root.isRegistered(Dispatcher)).toBe(false);
    expect(root.isRegistered(OTP_PROVIDERS)).toBe(false);
    expect(built).toHaveLength(0);
  });

  it('refuses an unknown provider with the install hint', () => {
    expect(() => registerOtpKit(freshRoot(), { provider: 'twilio' }, { plugins })).toThrow(
      /unknown provider "twilio".*@otpkit\/provider-twilio/,
    );
  });

  it("lets a test override OTP_PROVIDERS in a child container; the app's wiring is untouched", async () => {
    // The app's production wiring.
    const app = registerOtpKit(freshRoot(), config, { plugins });

    // The test's override: its own provider, in a child container.
    const testProvider = recording('test');
    const scope = app.createChildContainer();
    scope.register(OTP_PROVIDERS, { useValue: [testProvider] });

    const testDispatcher = scope.resolve(Dispatcher);
    opened.push(testDispatcher);
    expect(testDispatcher.providers).toEqual(['test']);
    expect(await scope.resolve(LoginService).sendLoginCode('+14155550123')).toBe('test');
    expect(testProvider.sent).toEqual(['+14155550123']);
    expect(built[0]!.sent).toEqual([]);

    // The child keeps the app's settings (concurrency 2): three hanging sends, two in flight.
    const hang: OtpProvider = {
      id: 'hang',
      send: (_msg, { signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    };
    const hanging = app.createChildContainer();
    hanging.register(OTP_PROVIDERS, { useValue: [hang] });
    const hangingDispatcher = hanging.resolve(Dispatcher);
    const stop = new AbortController();
    const pending = [0, 1, 2].map(() =>
      hangingDispatcher.send(message, { signal: stop.signal }).catch((error: unknown) => error),
    );
    expect(hangingDispatcher.inFlight).toBe(2);
    expect(hangingDispatcher.queued).toBe(1);
    stop.abort();
    expect((await Promise.all(pending)).every((error) => isOtpError(error, 'ABORTED'))).toBe(true);
    await hangingDispatcher.close();

    // The parent still resolves the production dispatcher over the configured vendor.
    const appDispatcher = app.resolve(Dispatcher);
    opened.push(appDispatcher);
    expect(appDispatcher).not.toBe(testDispatcher);
    expect(appDispatcher.providers).toEqual(['vendor', 'backup']);
    expect(await app.resolve(LoginService).sendLoginCode('+14155550123')).toBe('vendor');
    expect(built[0]!.sent).toEqual(['+14155550123']);
    expect(testProvider.sent).toHaveLength(1);
    expect(app.resolve<OtpProvider[]>(OTP_PROVIDERS).map((provider) => provider.id)).toEqual([
      'vendor',
      'backup',
    ]);
  });

  it('does not touch the global container', () => {
    registerOtpKit(freshRoot(), config, { plugins });
    expect(container.isRegistered(Dispatcher)).toBe(false);
    expect(container.isRegistered(OTP_PROVIDERS)).toBe(false);
  });
});
