import { inspect } from 'node:util';
import {
  configFromEnv,
  createOtpKit,
  isOtpError,
  type OtpError,
  type OtpProvider,
  type ProviderPlugin,
} from '@otpkit/core';
import { describe, expect, it } from 'vitest';

/** What a provider package hands `describeProviderOptions`. */
export interface ProviderOptionsSuiteOptions {
  /** The provider's id, e.g. `"kaleyra"`. */
  name: string;
  /** Options the provider accepts, with no `baseUrl`; their first key is a required credential. */
  valid: Readonly<Record<string, unknown>>;
  /** The vendor's options resolver (`resolveKaleyraOptions`). */
  resolve(options: unknown): {
    baseUrl: string;
    timeoutMs: number;
    maxResponseBytes?: unknown;
    fetch?: unknown;
  };
  /** The vendor's provider factory (`createKaleyraProvider`). */
  create(options: unknown): OtpProvider;
  /** The host used without a `baseUrl`. */
  defaultBaseUrl: string;
  /** The credentials in `valid`: none may appear in an options error. */
  secrets: readonly string[];
  /** The vendor's plugin; its cases run when given. */
  plugin?: ProviderPlugin;
}

/** Values of the options every HTTP provider takes (`ProviderHttpOptions`) that must be refused. */
const INVALID: readonly [string, unknown][] = [
  ['baseUrl', 'api.example.com'],
  ['baseUrl', 'ftp://api.example.com'],
  ['baseUrl', ''],
  ['timeoutMs', 0],
  ['timeoutMs', -5],
  ['timeoutMs', 1.5],
  ['timeoutMs', '100'],
  ['timeoutMs', Number.NaN],
  // Past 2^31 - 1 ms, timers overflow and ky refuses the request: every send would fail.
  ['timeoutMs', 2 ** 31],
  ['maxResponseBytes', 1023],
  ['maxResponseBytes', 2 ** 24 + 1],
  ['maxResponseBytes', '65536'],
  ['fetch', 'fetch'],
  ['fetch', {}],
];

/** Every way an error can end up in a log. */
const renderings = (error: unknown) =>
  [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error)?.stack].join('\n');

function thrownBy(fn: () => unknown): OtpError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_CONFIG'), `expected INVALID_CONFIG, got ${String(thrown)}`).toBe(true);
  return thrown as OtpError;
}

const paths = (error: OtpError) => [...new Set(error.issues?.map((issue) => issue.path))];

/**
 * Registers the options and plugin suite: the options every HTTP provider takes (`baseUrl`,
 * `timeoutMs`, `maxResponseBytes`, `fetch`) with their defaults and their refusals, options errors
 * that name the option and never echo a credential, and a plugin that `createOtpKit` and
 * `configFromEnv` select by its id.
 */
export function describeProviderOptions(options: ProviderOptionsSuiteOptions): void {
  const { name, valid, resolve, create, secrets } = options;

  describe(`${name}: the options every provider takes`, () => {
    it('fills in the shared defaults: the vendor host, a 10 s time limit, no cap or fetch of its own', () => {
      expect(resolve(valid)).toMatchObject({
        baseUrl: options.defaultBaseUrl.replace(/\/+$/, ''),
        timeoutMs: 10_000,
        maxResponseBytes: undefined,
        fetch: undefined,
      });
    });

    it('keeps what is given; drops the trailing slashes of baseUrl and keeps its path', () => {
      const fetch = async () => new Response('{}');
      const given = {
        ...valid,
        baseUrl: 'https://proxy.example.com/otp//',
        timeoutMs: 2500,
        maxResponseBytes: 4096,
        fetch,
      };
      expect(resolve(given)).toMatchObject({
        baseUrl: 'https://proxy.example.com/otp',
        timeoutMs: 2500,
        maxResponseBytes: 4096,
        fetch,
      });
    });

    it.each(INVALID)('%s = %j is INVALID_CONFIG naming that option alone', (option, value) => {
      const error = thrownBy(() => resolve({ ...valid, [option]: value }));
      expect(error.retryable).toBe(false);
      expect(error.provider).toBe(name);
      expect(paths(error)).toEqual([option]);
      expect(error.message).toContain(`${option}:`);
      expect(error.message).toMatch(/^Invalid .+ options: /);
    });

    it('refuses something that is not an object', () => {
      for (const value of [undefined, null, 'options', 42])
        expect(thrownBy(() => resolve(value)).provider).toBe(name);
    });

    it('the factory checks the options once, at creation', () => {
      thrownBy(() => create({ ...valid, timeoutMs: 0 }));
      expect(create(valid).id).toBe(name);
    });

    it('never echoes a credential, nor a baseUrl that carries one, in an options error', () => {
      const error = thrownBy(() =>
        resolve({
          ...valid,
          timeoutMs: -1,
          baseUrl: 'ftp://user:s3cr3t-pass@proxy.example.com/?token=s3cr3t',
        }),
      );
      expect(paths(error).sort()).toEqual(['baseUrl', 'timeoutMs']);
      const text = renderings(error);
      expect(text).not.toContain('s3cr3t');
      for (const secret of secrets) expect(text).not.toContain(secret);
    });
  });

  const plugin = options.plugin;
  if (plugin === undefined) return;
  const [required] = Object.keys(valid);

  describe(`${name}: the plugin`, () => {
    it('has the provider id, takes the valid options, and builds the provider', async () => {
      expect(plugin.id).toBe(name);
      const result = await plugin.options['~standard'].validate(valid);
      expect(result.issues).toBeUndefined();
      const kit = createOtpKit({ provider: name, providers: { [name]: valid } }, { plugins: [plugin] });
      expect(kit.providers).toEqual([name]);
      await kit.close();
    });

    it('is selected by OTPKIT_PROVIDER, its options read from its environment variables', async () => {
      const env: Record<string, string> = { OTPKIT_PROVIDER: name };
      for (const [variable, binding] of Object.entries(plugin.env ?? {})) {
        const value = valid[typeof binding === 'string' ? binding : binding.option];
        if (typeof value === 'string') env[variable] = value;
      }
      const kit = createOtpKit(configFromEnv(env, { plugins: [plugin] }), { plugins: [plugin] });
      expect(kit.providers).toEqual([name]);
      await kit.close();
    });

    it('names a missing credential by its config path, never echoing the others', () => {
      const { [required!]: _, ...rest } = valid;
      const error = thrownBy(() =>
        createOtpKit({ provider: name, providers: { [name]: rest } }, { plugins: [plugin] }),
      );
      expect(paths(error)).toContain(`providers.${name}.${required}`);
      const text = renderings(error);
      for (const secret of secrets) expect(text).not.toContain(secret);
    });
  });
}
