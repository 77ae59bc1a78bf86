import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createOtpKitConfigSchema, defineProviderPlugin, type OtpProvider } from '../index.js';
import { inConfigOrder } from './config-schema.js';

const plugin = (id: string) =>
  defineProviderPlugin({
    id,
    options: v.object({
      apiKey: v.pipe(v.string('apiKey: expected a string'), v.minLength(4, 'apiKey: too short')),
    }),
    create: (): OtpProvider => ({
      id,
      send: async () => ({ provider: id, messageId: 'm', to: '+1', acceptedAt: new Date() }),
    }),
  });

describe('createOtpKitConfigSchema: the whole config as one valibot schema', () => {
  const schema = createOtpKitConfigSchema({ plugins: [plugin('alpha'), plugin('beta')] });

  it('accepts a whole config and keeps it as given', () => {
    const config = {
      provider: 'alpha',
      fallback: ['beta'],
      routes: [{ prefix: '+91', provider: 'beta', fallback: ['alpha'] }],
      providers: { alpha: { apiKey: 'key-1' }, beta: { apiKey: 'key-2' } },
      retry: { retries: 2 },
      timeoutMs: 5000,
    };
    expect(v.parse(schema, config)).toEqual(config);
  });

  it('reports shape, ids, routes, plugin options and retry bounds together', () => {
    const result = v.safeParse(schema, {
      provider: 'alpha',
      fallback: ['alpha', 'gamma'],
      routes: [
        { prefix: '+1', provider: 'beta' },
        { prefix: '+1', provider: 'beta', fallback: ['beta'] },
        { prefix: '91' },
      ],
      providers: { alpha: { apiKey: 'k' } },
      retry: { minDelayMs: 9000 },
      timeoutMs: -1,
      colour: 'blue',
    });
    expect(result.success).toBe(false);
    const paths = result.issues!.map((issue) => v.getDotPath(issue));
    expect(paths).toEqual(
      expect.arrayContaining([
        'colour',
        'fallback.0',
        'fallback.1',
        'routes.1.prefix',
        'routes.1.fallback.0',
        'routes.2.prefix',
        'routes.2.provider',
        'providers.alpha.apiKey',
        'providers.beta.apiKey',
        'timeoutMs',
      ]),
    );
    // The bounds rule waits for a valid retry: here it is valid, and 8000 (the default max) < 9000.
    expect(paths).toContain('retry.maxDelayMs');
  });

  it('inConfigOrder puts issues in the order of the config, whichever rule found them', () => {
    const ordered = inConfigOrder(
      [
        'timeoutMs',
        'providers.alpha.apiKey',
        'routes.1.fallback.0',
        'routes.1.prefix',
        'fallback.1',
        'fallback.0',
        'provider',
        'colour',
      ].map((path) => ({ path, message: 'x' })),
    );
    expect(ordered.map((issue) => issue.path)).toEqual([
      'colour',
      'provider',
      'fallback.0',
      'fallback.1',
      'routes.1.prefix',
      'routes.1.fallback.0',
      'providers.alpha.apiKey',
      'timeoutMs',
    ]);
  });
});
