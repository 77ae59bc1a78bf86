import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Dispatcher } from '../dispatcher/index.js';
import { isOtpError, OtpError, type OtpIssue } from '../errors.js';
import { defineProviderPlugin, type ProviderPlugin } from '../plugin.js';
import type { OtpMessage, OtpProvider, SendReceipt } from '../types.js';
import {
  configFromEnv,
  createOtpKit,
  isProviderPlugin,
  loadOtpKit,
  OTPKIT_ENV,
  type OtpKitConfig,
  parseRoutes,
  resolveOtpKit,
} from './index.js';

const message: OtpMessage = { to: '+14155550123', body: 'Your code is 482913' };

/** A provider that records what it sent and the options it was built with. */
interface TestProvider extends OtpProvider {
  readonly options: unknown;
  readonly sent: string[];
}

function testProvider(id: string, options: unknown, send?: OtpProvider['send']): TestProvider {
  const sent: string[] = [];
  return {
    id,
    options,
    sent,
    send:
      send ??
      (async (msg): Promise<SendReceipt> => {
        sent.push(msg.to);
        return { provider: id, messageId: `${id}-${sent.length}`, to: msg.to, acceptedAt: new Date() };
      }),
  };
}

const alphaCreate = vi.fn((options: unknown) => testProvider('alpha', options));

/** Custom messages that name the option, env bindings of both forms. */
const alphaPlugin = defineProviderPlugin({
  id: 'alpha',
  options: v.object(
    {
      apiKey: v.pipe(
        v.string('apiKey: expected a non-empty string'),
        v.minLength(1, 'apiKey: expected a non-empty string'),
      ),
      region: v.optional(v.picklist(['eu', 'us'], 'region: expected "eu" or "us"')),
      port: v.optional(v.number('port: expected a number')),
    },
    'options: expected an object',
  ),
  env: {
    ALPHA_API_KEY: 'apiKey',
    ALPHA_REGION: { option: 'region' },
    ALPHA_PORT: {
      option: 'port',
      parse: (raw) => {
        if (!/^\d+$/.test(raw)) throw new Error(`not a port: ${raw}`);
        return Number(raw);
      },
    },
  },
  create: (options) => alphaCreate(options),
});

/** valibot's default messages, which end with "but received <value>". */
const betaPlugin = defineProviderPlugin({
  id: 'beta',
  options: v.object({ token: v.pipe(v.string(), v.regex(/^sk_/)) }),
  env: { BETA_TOKEN: 'token' },
  create: (options) => testProvider('beta', options),
});

/** valibot's default messages of the kind "Invalid input: Received <value>". */
const deltaPlugin = defineProviderPlugin({
  id: 'delta',
  options: v.object({
    secret: v.pipe(
      v.string(),
      v.check((value) => value.startsWith('sk_')),
    ),
    webhook: v.optional(v.pipe(v.string(), v.url())),
    owner: v.optional(v.pipe(v.string(), v.email())),
  }),
  create: (options) => testProvider('delta', options),
});

/** No options at all. */
const gammaPlugin = defineProviderPlugin({
  id: 'gamma',
  options: v.object({}),
  create: () => testProvider('gamma', {}),
});

const plugins = [alphaPlugin, betaPlugin, gammaPlugin] as ProviderPlugin[];

/** Runs `fn`, expects an `OtpError` `INVALID_CONFIG`, returns it. */
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

async function configErrorAsync(promise: Promise<unknown>): Promise<OtpError> {
  const thrown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(isOtpError(thrown, 'INVALID_CONFIG'), `expected INVALID_CONFIG, got ${String(thrown)}`).toBe(true);
  return thrown as OtpError;
}

const paths = (error: OtpError) => (error.issues ?? []).map((issue: OtpIssue) => issue.path);
const issueAt = (error: OtpError, path: string) => error.issues?.find((issue) => issue.path === path);

/** Every place an error could show a value: message, JSON form, issues, string form. */
const everything = (error: OtpError) =>
  [error.message, String(error), JSON.stringify(error), JSON.stringify(error.issues)].join('\n');

const dispatchers: Dispatcher[] = [];
const track = (dispatcher: Dispatcher) => {
  dispatchers.push(dispatcher);
  return dispatcher;
};

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.close()));
  alphaCreate.mockClear();
  vi.unstubAllEnvs();
});

describe('createOtpKit', () => {
  it('builds the provider and its fallbacks with validated options, in failover order', async () => {
    const dispatcher = track(
      createOtpKit(
        {
          provider: 'alpha',
          fallback: ['beta', 'gamma'],
          providers: { alpha: { apiKey: 'ak-1', region: 'eu' }, beta: { token: 'sk_live_1' } },
        },
        { plugins },
      ),
    );
    expect(dispatcher.providers).toEqual(['alpha', 'beta', 'gamma']);
    expect(alphaCreate).toHaveBeenCalledTimes(1);
    expect(dispatcher.getProvider<TestProvider>('alpha')?.options).toEqual({ apiKey: 'ak-1', region: 'eu' });
    expect(dispatcher.getProvider<TestProvider>('beta')?.options).toEqual({ token: 'sk_live_1' });
    const result = await dispatcher.send(message);
    expect(result.provider).toBe('alpha');
    expect(dispatcher.getProvider<TestProvider>('alpha')?.sent).toEqual([message.to]);
  });

  it('getProvider returns the built instance by id, undefined for an id not in the order', () => {
    const dispatcher = track(createOtpKit({ provider: 'gamma' }, { plugins }));
    expect(dispatcher.getProvider('gamma')?.id).toBe('gamma');
    expect(dispatcher.getProvider('alpha')).toBeUndefined();
    expect(dispatcher.getProvider('nope')).toBeUndefined();
  });

  it('only builds the providers in the failover order (options of others are kept, not built)', () => {
    const dispatcher = track(
      createOtpKit({ provider: 'gamma', providers: { alpha: { apiKey: 'ak-1' } } }, { plugins }),
    );
    expect(dispatcher.providers).toEqual(['gamma']);
    expect(alphaCreate).not.toHaveBeenCalled();
  });

  it('makes the fallback list the failover order the dispatcher follows', async () => {
    const down = defineProviderPlugin({
      id: 'down',
      options: v.object({}),
      create: () =>
        testProvider('down', {}, async () => {
          throw new OtpError('PROVIDER_UNAVAILABLE', 'down: the vendor failed', { provider: 'down' });
        }),
    });
    const dispatcher = track(
      createOtpKit(
        {
          provider: 'down',
          fallback: ['gamma', 'alpha'],
          providers: { alpha: { apiKey: 'ak-1' } },
          retry: { retries: 0 },
        },
        { plugins: [...plugins, down] },
      ),
    );
    expect(dispatcher.providers).toEqual(['down', 'gamma', 'alpha']);
    const result = await dispatcher.send(message);
    expect(result.provider).toBe('gamma');
    expect(result.attempts).toBe(2);
  });

  it('passes the dispatcher settings on (timeoutMs and retry end a hanging send quickly)', async () => {
    const hang = defineProviderPlugin({
      id: 'hang',
      options: v.object({}),
      create: () =>
        testProvider(
          'hang',
          {},
          (_msg, { signal }) =>
            new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        ),
    });
    const dispatcher = track(
      createOtpKit({ provider: 'hang', timeoutMs: 30, retry: { retries: 0 } }, { plugins: [hang] }),
    );
    const started = Date.now();
    const error = await dispatcher.send(message).catch((caught: unknown) => caught);
    expect(isOtpError(error, 'TIMEOUT')).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports every problem at once, each with its path, and builds nothing', () => {
    const error = configError(() =>
      createOtpKit(
        {
          provider: 'alpha',
          fallback: ['beta'],
          providers: { alpha: { apiKey: '', region: 'mars' }, beta: { token: 42 } },
          timeoutMs: 0,
          concurrency: 1.5,
          retry: { retries: -1 },
        } as unknown as OtpKitConfig,
        { plugins },
      ),
    );
    expect(paths(error)).toEqual(
      expect.arrayContaining([
        'providers.alpha.apiKey',
        'providers.alpha.region',
        'providers.beta.token',
        'timeoutMs',
        'concurrency',
        'retry.retries',
      ]),
    );
    expect(error.issues).toHaveLength(6);
    expect(issueAt(error, 'providers.alpha.apiKey')?.message).toBe('expected a non-empty string');
    expect(issueAt(error, 'providers.alpha.region')?.message).toBe('expected "eu" or "us"');
    expect(error.message).toMatch(/^Invalid otpkit config: /);
    expect(error.message).toContain('providers.alpha.apiKey: expected a non-empty string');
    expect(error.message).toContain('providers.alpha.region: expected "eu" or "us"');
    expect(error.message).toContain('timeoutMs: expected an integer from 1');
    expect(error.message).toContain('retry.retries: expected an integer from 0 to 100');
    expect(error.message).not.toContain('mars');
    expect(error.retryable).toBe(false);
    expect(alphaCreate).not.toHaveBeenCalled();
  });

  it('names a missing required option by its path', () => {
    const error = configError(() => createOtpKit({ provider: 'alpha' }, { plugins }));
    expect(paths(error)).toEqual(['providers.alpha.apiKey']);
    expect(error.message).toContain('providers.alpha.apiKey: required, but missing');
  });

  it('says an issue once when several actions of one pipe fail with the same message', () => {
    const what = 'sid: expected letters and digits';
    const strict = defineProviderPlugin({
      id: 'strict',
      options: v.object({ sid: v.pipe(v.string(what), v.minLength(1, what), v.regex(/^[a-z0-9]+$/i, what)) }),
      create: () => testProvider('strict', {}),
    });
    const error = configError(() =>
      createOtpKit({ provider: 'strict', providers: { strict: { sid: '' } } }, { plugins: [strict] }),
    );
    expect(error.issues).toEqual([{ path: 'providers.strict.sid', message: 'expected letters and digits' }]);
  });

  it('reports options that are not an object at the provider path', () => {
    const error = configError(() =>
      createOtpKit({ provider: 'alpha', providers: { alpha: 'ak-1' } }, { plugins }),
    );
    expect(paths(error)).toEqual(['providers.alpha']);
  });

  it('refuses an unknown top-level setting, listing the known ones', () => {
    const error = configError(() =>
      createOtpKit({ provider: 'gamma', timeout: 5000 } as unknown as OtpKitConfig, { plugins }),
    );
    expect(paths(error)).toEqual(['timeout']);
    const known = issueAt(error, 'timeout')?.message ?? '';
    expect(known).toContain('unknown setting');
    for (const key of [
      'provider',
      'fallback',
      'providers',
      'retry',
      'timeoutMs',
      'concurrency',
      'maxQueue',
    ]) {
      expect(known).toContain(key);
    }
  });

  it('requires provider, listing the registered ids', () => {
    for (const config of [{}, { provider: '' }, { provider: 7 }]) {
      const error = configError(() => createOtpKit(config as unknown as OtpKitConfig, { plugins }));
      expect(paths(error)).toEqual(['provider']);
      expect(error.message).toContain('registered: alpha, beta, gamma');
    }
    const none = configError(() => createOtpKit({ provider: 'alpha' }, { plugins: [] }));
    expect(none.message).toContain('no plugins are registered');
  });

  it('refuses a config that is not an object', () => {
    for (const config of [null, undefined, 'alpha', 42]) {
      const error = configError(() => createOtpKit(config as unknown as OtpKitConfig, { plugins }));
      expect(error.message).toContain('provider');
    }
  });

  describe('unknown provider ids', () => {
    it('in provider: lists the registered ids and the package to install', () => {
      const error = configError(() => createOtpKit({ provider: 'twilio' }, { plugins }));
      expect(paths(error)).toEqual(['provider']);
      const text = issueAt(error, 'provider')?.message ?? '';
      expect(text).toContain('unknown provider "twilio"');
      expect(text).toContain('registered: alpha, beta, gamma');
      expect(text).toContain('@otpkit/provider-twilio');
      expect(text).toContain('install it');
    });

    it('in fallback: reported at its index, next to other problems', () => {
      const error = configError(() =>
        createOtpKit(
          { provider: 'gamma', fallback: ['alpha', 'vonage'], providers: { alpha: {} } },
          { plugins },
        ),
      );
      expect(paths(error)).toEqual(['fallback.1', 'providers.alpha.apiKey']);
      expect(issueAt(error, 'fallback.1')?.message).toContain('@otpkit/provider-vonage');
    });

    it('in providers: options for a provider no plugin knows', () => {
      const error = configError(() =>
        createOtpKit({ provider: 'gamma', providers: { sinch: { key: 'x' } } }, { plugins }),
      );
      expect(paths(error)).toEqual(['providers.sinch']);
      expect(issueAt(error, 'providers.sinch')?.message).toContain('unknown provider "sinch"');
      expect(issueAt(error, 'providers.sinch')?.message).toContain('@otpkit/provider-sinch');
    });

    it('no install hint for an id no package could have', () => {
      const error = configError(() => createOtpKit({ provider: 'Not A/Package' }, { plugins }));
      const text = issueAt(error, 'provider')?.message ?? '';
      expect(text).toContain('unknown provider');
      expect(text).not.toContain('@otpkit/provider-');
    });
  });

  describe('fallback', () => {
    it('refuses the first provider again, and a duplicate', () => {
      const error = configError(() =>
        createOtpKit({ provider: 'gamma', fallback: ['gamma', 'alpha', 'alpha'] }, { plugins }),
      );
      expect(paths(error)).toEqual(expect.arrayContaining(['fallback.0', 'fallback.2']));
      expect(issueAt(error, 'fallback.0')?.message).toContain('"gamma" is already in the failover order');
      expect(issueAt(error, 'fallback.2')?.message).toContain('"alpha" is already in the failover order');
    });

    it('refuses a fallback that is not a list, and entries that are not ids', () => {
      const notList = configError(() =>
        createOtpKit({ provider: 'gamma', fallback: 'alpha' } as unknown as OtpKitConfig, { plugins }),
      );
      expect(paths(notList)).toEqual(['fallback']);
      const badEntries = configError(() =>
        createOtpKit({ provider: 'gamma', fallback: ['', 3] } as unknown as OtpKitConfig, { plugins }),
      );
      expect(paths(badEntries)).toEqual(['fallback.0', 'fallback.1']);
    });

    it('refuses providers that is not an object', () => {
      for (const providers of ['x', [], 42]) {
        const error = configError(() =>
          createOtpKit({ provider: 'gamma', providers } as unknown as OtpKitConfig, { plugins }),
        );
        expect(paths(error)).toContain('providers');
      }
    });
  });

  describe('plugins', () => {
    it('refuses plugins that is not a list, a non-plugin, or one id given twice', () => {
      expect(
        paths(configError(() => createOtpKit({ provider: 'gamma' }, {} as { plugins: ProviderPlugin[] }))),
      ).toEqual(['plugins']);
      // From plain JavaScript, without the second argument: an OtpError that shows the call, not a TypeError.
      const missing = configError(() =>
        (createOtpKit as (config: unknown) => unknown)({ provider: 'gamma' }),
      );
      expect(paths(missing)).toEqual(['plugins']);
      expect(missing.message).toContain('createOtpKit(config, { plugins: [');
      expect(
        paths(
          configError(() =>
            createOtpKit({ provider: 'gamma' }, { plugins: [gammaPlugin, {} as ProviderPlugin] }),
          ),
        ),
      ).toEqual(['plugins.1']);
      const twice = configError(() =>
        createOtpKit(
          { provider: 'gamma' },
          { plugins: [gammaPlugin, alphaPlugin, gammaPlugin] as ProviderPlugin[] },
        ),
      );
      expect(paths(twice)).toEqual(['plugins.2']);
      expect(twice.message).toContain('"gamma" is given twice');
    });

    it('isProviderPlugin recognises plugins by shape', () => {
      expect(isProviderPlugin(alphaPlugin)).toBe(true);
      expect(isProviderPlugin({ id: 'x', options: v.object({}), create: () => undefined })).toBe(true);
      for (const value of [null, undefined, 'alpha', {}, { id: 'x' }, { id: 'x', create: () => 1 }]) {
        expect(isProviderPlugin(value)).toBe(false);
      }
      expect(isProviderPlugin({ id: 1, options: {}, create: () => 1 })).toBe(false);
    });

    it('defineProviderPlugin returns its argument', () => {
      const plugin = { id: 'p', options: v.object({}), create: () => testProvider('p', {}) };
      expect(defineProviderPlugin(plugin)).toBe(plugin);
    });
  });

  describe('secrets', () => {
    it('never echoes an option value under valibot default "but received" messages', () => {
      const error = configError(() =>
        createOtpKit({ provider: 'beta', providers: { beta: { token: 'pk_SECRET123' } } }, { plugins }),
      );
      expect(paths(error)).toEqual(['providers.beta.token']);
      expect(everything(error)).not.toContain('SECRET123');
      expect(issueAt(error, 'providers.beta.token')?.message).toContain('Invalid format');
    });

    it('never echoes an option value under valibot default "Received" messages (check, url, email)', () => {
      const error = configError(() =>
        createOtpKit(
          {
            provider: 'delta',
            providers: {
              delta: { secret: 'pk_SECRET123', webhook: 'tok_SECRET456', owner: 'SECRET789@' },
            },
          },
          { plugins: [deltaPlugin] },
        ),
      );
      expect(paths(error)).toEqual([
        'providers.delta.secret',
        'providers.delta.webhook',
        'providers.delta.owner',
      ]);
      const all = everything(error);
      expect(all).not.toContain('SECRET123');
      expect(all).not.toContain('SECRET456');
      expect(all).not.toContain('SECRET789');
      expect(issueAt(error, 'providers.delta.webhook')?.message).toMatch(/URL/);
    });

    it('never echoes a dispatcher setting or an unknown provider option value', () => {
      const error = configError(() =>
        createOtpKit(
          {
            provider: 'gamma',
            timeoutMs: 'pk_SECRET123',
            providers: { gamma: {}, other: { apiKey: 'pk_SECRET456' } },
          } as unknown as OtpKitConfig,
          { plugins },
        ),
      );
      expect(paths(error)).toEqual(['providers.other', 'timeoutMs']);
      expect(everything(error)).not.toContain('SECRET');
    });
  });
});

describe('resolveOtpKit', () => {
  it('returns the providers in order and the settings without creating a dispatcher', () => {
    const resolved = resolveOtpKit(
      { provider: 'gamma', fallback: ['beta'], providers: { beta: { token: 'sk_1' } }, maxQueue: 5 },
      { plugins },
    );
    expect(resolved.providers.map((provider) => provider.id)).toEqual(['gamma', 'beta']);
    expect(resolved.settings).toEqual({ maxQueue: 5 });
  });

  it('checks the retry delays against each other, with the other problems', () => {
    const error = configError(() =>
      resolveOtpKit({ provider: 'alpha', retry: { minDelayMs: 10_000 } }, { plugins }),
    );
    expect(paths(error)).toEqual(['providers.alpha.apiKey', 'retry.maxDelayMs']);
    const explicit = configError(() =>
      resolveOtpKit({ provider: 'gamma', retry: { minDelayMs: 500, maxDelayMs: 100 } }, { plugins }),
    );
    expect(paths(explicit)).toEqual(['retry.maxDelayMs']);
  });
});

describe('configFromEnv', () => {
  it('lists every variable it reads in OTPKIT_ENV', () => {
    expect(Object.keys(OTPKIT_ENV)).toEqual([
      'OTPKIT_PROVIDER',
      'OTPKIT_FALLBACK',
      'OTPKIT_ROUTES',
      'OTPKIT_TIMEOUT_MS',
      'OTPKIT_DEADLINE_MS',
      'OTPKIT_CONCURRENCY',
      'OTPKIT_MAX_QUEUE',
      'OTPKIT_RETRIES',
      'OTPKIT_RETRY_MIN_DELAY_MS',
      'OTPKIT_RETRY_MAX_DELAY_MS',
      'OTPKIT_RETRY_MAX_RETRY_AFTER_MS',
      'OTPKIT_BREAKER_FAILURE_THRESHOLD',
      'OTPKIT_BREAKER_COOLDOWN_MS',
    ]);
  });

  it('reads OTPKIT_PROVIDER alone', () => {
    expect(configFromEnv({ OTPKIT_PROVIDER: 'gamma' }, { plugins })).toEqual({ provider: 'gamma' });
    expect(configFromEnv({ OTPKIT_PROVIDER: '  gamma ' }, { plugins })).toEqual({ provider: 'gamma' });
  });

  it('splits OTPKIT_FALLBACK on commas, trimming spaces and dropping empty entries', () => {
    const config = configFromEnv(
      { OTPKIT_PROVIDER: 'alpha', OTPKIT_FALLBACK: ' beta , ,gamma,, ' },
      { plugins },
    );
    expect(config.fallback).toEqual(['beta', 'gamma']);
    expect(configFromEnv({ OTPKIT_PROVIDER: 'alpha', OTPKIT_FALLBACK: ',' }, { plugins }).fallback).toEqual(
      [],
    );
  });

  it('turns the numeric settings into numbers, the retry ones nested under retry', () => {
    const config = configFromEnv(
      {
        OTPKIT_PROVIDER: 'gamma',
        OTPKIT_TIMEOUT_MS: '5000',
        OTPKIT_CONCURRENCY: '4',
        OTPKIT_MAX_QUEUE: '0',
        OTPKIT_RETRIES: '2',
        OTPKIT_RETRY_MIN_DELAY_MS: '100',
        OTPKIT_RETRY_MAX_DELAY_MS: '2000',
        OTPKIT_RETRY_MAX_RETRY_AFTER_MS: '60000',
        OTPKIT_DEADLINE_MS: '20000',
        OTPKIT_BREAKER_FAILURE_THRESHOLD: '3',
        OTPKIT_BREAKER_COOLDOWN_MS: '10000',
      },
      { plugins },
    );
    expect(config).toEqual({
      provider: 'gamma',
      timeoutMs: 5000,
      deadlineMs: 20_000,
      concurrency: 4,
      maxQueue: 0,
      retry: { retries: 2, minDelayMs: 100, maxDelayMs: 2000, maxRetryAfterMs: 60_000 },
      breaker: { failureThreshold: 3, cooldownMs: 10_000 },
    });
    track(createOtpKit(config, { plugins }));
  });

  it('refuses a setting that is not a whole number, naming every such variable at once', () => {
    const error = configError(() =>
      configFromEnv(
        {
          OTPKIT_PROVIDER: 'gamma',
          OTPKIT_TIMEOUT_MS: '5s',
          OTPKIT_RETRIES: '-1',
          OTPKIT_CONCURRENCY: '1.5',
          OTPKIT_MAX_QUEUE: '100',
        },
        { plugins },
      ),
    );
    expect(paths(error)).toEqual(['OTPKIT_TIMEOUT_MS', 'OTPKIT_CONCURRENCY', 'OTPKIT_RETRIES']);
    expect(error.message).toMatch(/^Invalid otpkit environment: /);
    expect(error.message).toContain('OTPKIT_TIMEOUT_MS: expected a whole number');
    expect(error.message).not.toContain('5s');
  });

  it('requires OTPKIT_PROVIDER, listing the registered ids', () => {
    for (const env of [{}, { OTPKIT_PROVIDER: '' }, { OTPKIT_PROVIDER: '   ' }]) {
      const error = configError(() => configFromEnv(env, { plugins }));
      expect(paths(error)).toEqual(['OTPKIT_PROVIDER']);
      expect(error.message).toContain('registered: alpha, beta, gamma');
    }
  });

  it("reads each plugin's own variables into providers.<id>, by name or through parse", () => {
    const config = configFromEnv(
      {
        OTPKIT_PROVIDER: 'alpha',
        ALPHA_API_KEY: 'ak-123',
        ALPHA_REGION: 'eu',
        ALPHA_PORT: '8080',
        BETA_TOKEN: 'sk_live_9',
        UNRELATED: 'x',
      },
      { plugins },
    );
    expect(config).toEqual({
      provider: 'alpha',
      providers: { alpha: { apiKey: 'ak-123', region: 'eu', port: 8080 }, beta: { token: 'sk_live_9' } },
    });
  });

  it('names the variable whose parse failed, without echoing its value, with the other problems', () => {
    const error = configError(() =>
      configFromEnv(
        { OTPKIT_PROVIDER: 'alpha', OTPKIT_RETRIES: 'x', ALPHA_PORT: 'SECRET-PORT' },
        { plugins },
      ),
    );
    expect(paths(error)).toEqual(['OTPKIT_RETRIES', 'ALPHA_PORT']);
    expect(issueAt(error, 'ALPHA_PORT')?.message).toBe('could not be read as alpha option "port"');
    expect(everything(error)).not.toContain('SECRET-PORT');
  });

  it('ignores empty variables and the variables of plugins not passed', () => {
    const config = configFromEnv(
      {
        OTPKIT_PROVIDER: 'gamma',
        OTPKIT_FALLBACK: '',
        OTPKIT_TIMEOUT_MS: '  ',
        ALPHA_API_KEY: '',
        ALPHA_REGION: '   ',
        BETA_TOKEN: 'sk_1',
      },
      { plugins: [alphaPlugin, gammaPlugin] as ProviderPlugin[] },
    );
    expect(config).toEqual({ provider: 'gamma' });
  });

  it('reads process.env by default', () => {
    vi.stubEnv('OTPKIT_PROVIDER', 'alpha');
    vi.stubEnv('ALPHA_API_KEY', 'ak-from-process');
    expect(configFromEnv(undefined, { plugins })).toEqual({
      provider: 'alpha',
      providers: { alpha: { apiKey: 'ak-from-process' } },
    });
  });

  it('feeds createOtpKit, which validates what the variables set under the option paths', () => {
    const env = { OTPKIT_PROVIDER: 'alpha', OTPKIT_FALLBACK: 'gamma', ALPHA_API_KEY: 'ak-1' };
    const dispatcher = track(createOtpKit(configFromEnv(env, { plugins }), { plugins }));
    expect(dispatcher.providers).toEqual(['alpha', 'gamma']);

    const error = configError(() =>
      createOtpKit(
        configFromEnv(
          { OTPKIT_PROVIDER: 'alpha', ALPHA_REGION: 'mars', OTPKIT_FALLBACK: 'nope' },
          { plugins },
        ),
        { plugins },
      ),
    );
    expect(paths(error)).toEqual(['fallback.0', 'providers.alpha.apiKey', 'providers.alpha.region']);
  });
});

describe('loadOtpKit', () => {
  const zetaPlugin = defineProviderPlugin({
    id: 'zeta',
    options: v.object({ key: v.optional(v.string()) }),
    create: (options) => testProvider('zeta', options),
  });

  it('imports @otpkit/provider-<id> for ids not among the plugins, and uses its plugin', async () => {
    const importer = vi.fn(async (specifier: string) => {
      if (specifier === '@otpkit/provider-zeta') return { somethingElse: 1, zetaPlugin };
      throw new Error(`Cannot find package '${specifier}'`);
    });
    const dispatcher = track(
      await loadOtpKit(
        { provider: 'zeta', fallback: ['gamma'], providers: { zeta: { key: 'k' } } },
        { plugins: [gammaPlugin], importer },
      ),
    );
    expect(dispatcher.providers).toEqual(['zeta', 'gamma']);
    expect(importer).toHaveBeenCalledTimes(1);
    expect(importer).toHaveBeenCalledWith('@otpkit/provider-zeta');
    expect(dispatcher.getProvider<TestProvider>('zeta')?.options).toEqual({ key: 'k' });
  });

  it('imports the providers named only in routes', async () => {
    const importer = vi.fn(async (specifier: string) => {
      if (specifier === '@otpkit/provider-zeta') return { zetaPlugin };
      throw new Error(`Cannot find package '${specifier}'`);
    });
    const dispatcher = track(
      await loadOtpKit(
        { provider: 'gamma', routes: [{ prefix: '+91', provider: 'zeta' }] },
        { plugins: [gammaPlugin], importer },
      ),
    );
    expect(importer).toHaveBeenCalledWith('@otpkit/provider-zeta');
    expect(dispatcher.providers).toEqual(['gamma', 'zeta']);
  });

  it('also imports the ids named only in fallback or providers, and works without plugins', async () => {
    const other = defineProviderPlugin({
      id: 'other',
      options: v.object({}),
      create: () => testProvider('other', {}),
    });
    const modules: Record<string, Record<string, unknown>> = {
      '@otpkit/provider-zeta': { zetaPlugin },
      '@otpkit/provider-other': { default: other },
    };
    const importer = vi.fn(async (specifier: string) => modules[specifier]!);
    const dispatcher = track(await loadOtpKit({ provider: 'zeta', fallback: ['other'] }, { importer }));
    expect(dispatcher.providers).toEqual(['zeta', 'other']);
    expect(importer.mock.calls.map(([specifier]) => specifier)).toEqual([
      '@otpkit/provider-zeta',
      '@otpkit/provider-other',
    ]);
  });

  it('reports an id whose package cannot be imported as an unknown provider, with the install hint', async () => {
    const importer = vi.fn(async (specifier: string): Promise<Record<string, unknown>> => {
      throw new Error(`Cannot find package '${specifier}'`);
    });
    const error = await configErrorAsync(loadOtpKit({ provider: 'twilio' }, { plugins, importer }));
    expect(importer).toHaveBeenCalledWith('@otpkit/provider-twilio');
    expect(paths(error)).toEqual(['provider']);
    expect(error.message).toContain('unknown provider "twilio"');
    expect(error.message).toContain('@otpkit/provider-twilio');
  });

  it('reports a package that exports no plugin with that id as an unknown provider', async () => {
    const importer = vi.fn(async () => ({ zetaPlugin, notAPlugin: { id: 'twilio' } }));
    const error = await configErrorAsync(loadOtpKit({ provider: 'twilio' }, { importer }));
    expect(error.message).toContain('unknown provider "twilio"');
  });

  it('does not import ids that no package name could hold', async () => {
    const importer = vi.fn(async () => ({}));
    await configErrorAsync(loadOtpKit({ provider: '../evil' }, { importer }));
    expect(importer).not.toHaveBeenCalled();
  });

  it('with the default importer, an id that is not installed is an unknown provider', async () => {
    const error = await configErrorAsync(loadOtpKit({ provider: 'not-installed-anywhere' }, { plugins }));
    expect(error.message).toContain('@otpkit/provider-not-installed-anywhere');
  });

  it('still validates the whole config', async () => {
    const importer = vi.fn(async () => ({ zetaPlugin }));
    const error = await configErrorAsync(
      loadOtpKit({ provider: 'zeta', providers: { zeta: { key: 1 } }, maxQueue: -1 }, { importer }),
    );
    expect(paths(error)).toEqual(['providers.zeta.key', 'maxQueue']);
  });
});

describe('routes (routing by destination)', () => {
  const routePlugins = [
    defineProviderPlugin({ id: 'india', options: v.object({}), create: () => testProvider('india', {}) }),
    defineProviderPlugin({ id: 'usa', options: v.object({}), create: () => testProvider('usa', {}) }),
    defineProviderPlugin({ id: 'world', options: v.object({}), create: () => testProvider('world', {}) }),
    defineProviderPlugin({ id: 'backup', options: v.object({}), create: () => testProvider('backup', {}) }),
  ];
  const send = async (dispatcher: Dispatcher, to: string) =>
    (await dispatcher.send({ ...message, to })).provider;

  it('sends each number through the route with the longest matching prefix, others through the top level', async () => {
    const dispatcher = createOtpKit(
      {
        provider: 'world',
        routes: [
          { prefix: '+1', provider: 'usa' },
          { prefix: '+91', provider: 'india', fallback: ['backup'] },
          { prefix: '+9198', provider: 'backup' },
        ],
      },
      { plugins: routePlugins },
    );
    expect(await send(dispatcher, '+14155550123')).toBe('usa');
    expect(await send(dispatcher, '+919876543210')).toBe('backup');
    expect(await send(dispatcher, '+917876543210')).toBe('india');
    expect(await send(dispatcher, '+447700900123')).toBe('world');
    expect(dispatcher.providers).toEqual(['world', 'usa', 'india', 'backup']);
    await dispatcher.close();
  });

  it('fails a route over to its own fallback, and never to a provider only other routes use', async () => {
    const failing = defineProviderPlugin({
      id: 'india',
      options: v.object({}),
      create: () =>
        testProvider('india', {}, async () => {
          throw new OtpError('PROVIDER_UNAVAILABLE', 'india: down', { provider: 'india' });
        }),
    });
    const dispatcher = createOtpKit(
      {
        provider: 'world',
        retry: { retries: 0 },
        routes: [{ prefix: '+91', provider: 'india', fallback: ['backup'] }],
      },
      { plugins: [failing, ...routePlugins.filter((plugin) => plugin.id !== 'india')] },
    );
    const failovers: string[] = [];
    dispatcher.on('failover', (event) => failovers.push(`${event.provider}>${event.nextProvider}`));
    expect(await send(dispatcher, '+919876543210')).toBe('backup');
    expect(failovers).toEqual(['india>backup']);
    // A number outside the routes never reaches india or backup.
    expect(await send(dispatcher, '+447700900123')).toBe('world');
    await dispatcher.close();
  });

  it('reports every wrong route with its path', () => {
    const error = (() => {
      try {
        resolveOtpKit(
          {
            provider: 'world',
            routes: [
              { prefix: '91', provider: 'india' },
              { prefix: '+1', provider: 'nope' },
              { prefix: '+1', provider: 'usa', fallback: ['usa', 'ghost'] },
            ],
          },
          { plugins: routePlugins },
        );
      } catch (caught) {
        return caught as OtpError;
      }
      throw new Error('expected INVALID_CONFIG');
    })();
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.issues?.map((issue) => issue.path)).toEqual([
      'routes.0.prefix',
      'routes.1.provider',
      'routes.2.prefix',
      'routes.2.fallback.0',
      'routes.2.fallback.1',
    ]);
    expect(error.issues?.[1]?.message).toContain('unknown provider "nope"');
  });

  it('reads OTPKIT_ROUTES in its compact form', () => {
    expect(parseRoutes('+91=india,backup; +1=usa')).toEqual([
      { prefix: '+91', provider: 'india', fallback: ['backup'] },
      { prefix: '+1', provider: 'usa' },
    ]);
    expect(parseRoutes('+91')).toBeUndefined();
    expect(parseRoutes('+91=')).toBeUndefined();
    const config = configFromEnv(
      { OTPKIT_PROVIDER: 'world', OTPKIT_ROUTES: '+91=india,backup;+1=usa' },
      { plugins: routePlugins },
    );
    expect(config.routes).toEqual([
      { prefix: '+91', provider: 'india', fallback: ['backup'] },
      { prefix: '+1', provider: 'usa' },
    ]);
    expect(() =>
      configFromEnv({ OTPKIT_PROVIDER: 'world', OTPKIT_ROUTES: 'india' }, { plugins: routePlugins }),
    ).toThrow(/OTPKIT_ROUTES: expected routes like/);
  });
});
