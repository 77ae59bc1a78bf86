import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, Dispatcher } from './dispatcher/index.js';
import {
  DISPATCHER_DEFAULTS,
  type DispatcherOptions,
  resolveDispatcherOptions,
} from './dispatcher-options.js';
import { isOtpError, type OtpError } from './errors.js';
import type { OtpProvider } from './types.js';

const provider = (id: string): OtpProvider => ({
  id,
  send: async (message) => ({ provider: id, messageId: `${id}-1`, to: message.to, acceptedAt: new Date() }),
});

function configError(options: unknown): OtpError {
  try {
    resolveDispatcherOptions(options as DispatcherOptions);
  } catch (error) {
    if (!isOtpError(error)) throw error;
    return error;
  }
  throw new Error('expected resolveDispatcherOptions to throw');
}

describe('resolveDispatcherOptions', () => {
  it('fills in the documented defaults', () => {
    expect(DISPATCHER_DEFAULTS).toEqual({
      retry: { retries: 3, minDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30_000 },
      timeoutMs: 10_000,
      deadlineMs: 30_000,
      breaker: { failureThreshold: 5, cooldownMs: 30_000 },
      failFastOn: ['NETWORK', 'TIMEOUT'],
      concurrency: 16,
      maxQueue: 10_000,
    });
    const a = provider('a');
    const resolved = resolveDispatcherOptions({ providers: [a] });
    expect(resolved).toMatchObject({
      retry: DISPATCHER_DEFAULTS.retry,
      timeoutMs: DISPATCHER_DEFAULTS.timeoutMs,
      concurrency: DISPATCHER_DEFAULTS.concurrency,
      maxQueue: DISPATCHER_DEFAULTS.maxQueue,
      deadlineMs: 30_000,
      breaker: { failureThreshold: 5, cooldownMs: 30_000 },
    });
    expect([...resolved.failFastOn]).toEqual(['NETWORK', 'TIMEOUT']);
    expect(resolved.providers).toEqual([a]);
    expect(resolved.providers[0]).toBe(a);
    expect(typeof resolved.onListenerError).toBe('function');
  });

  it('keeps what is given and defaults only what is left out (also explicit undefined)', () => {
    const onListenerError = vi.fn();
    const resolved = resolveDispatcherOptions({
      providers: [provider('a'), provider('b')],
      retry: { retries: 0, maxDelayMs: 1000, minDelayMs: undefined },
      timeoutMs: 500,
      concurrency: 2,
      maxQueue: 0,
      onListenerError,
    });
    expect(resolved.retry).toEqual({
      retries: 0,
      minDelayMs: 250,
      maxDelayMs: 1000,
      maxRetryAfterMs: 30_000,
    });
    expect(resolved).toMatchObject({ timeoutMs: 500, concurrency: 2, maxQueue: 0, onListenerError });
    expect(resolved.providers.map((item) => item.id)).toEqual(['a', 'b']);
  });

  it('copies the providers list, so later changes to the array do not leak in', () => {
    const list = [provider('a')];
    const resolved = resolveDispatcherOptions({ providers: list });
    list.push(provider('b'));
    expect(resolved.providers).toHaveLength(1);
  });

  it('does not let DISPATCHER_DEFAULTS be changed', () => {
    expect(Object.isFrozen(DISPATCHER_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(DISPATCHER_DEFAULTS.retry)).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['no providers', {}, 'providers'],
    ['an empty providers list', { providers: [] }, 'providers'],
    ['providers that is not an array', { providers: provider('a') }, 'providers'],
    ['duplicate provider ids', { providers: [provider('a'), provider('a')] }, 'providers'],
    ['a non-provider object', { providers: [{ name: 'kaleyra' }] }, 'providers.0'],
    ['a provider without send', { providers: [provider('a'), { id: 'b' }] }, 'providers.1'],
    ['a provider with an empty id', { providers: [{ id: '', send: () => undefined }] }, 'providers.0'],
    ['a string as provider', { providers: ['kaleyra'] }, 'providers.0'],
    ['negative retries', { providers: [provider('a')], retry: { retries: -1 } }, 'retry.retries'],
    ['non-integer retries', { providers: [provider('a')], retry: { retries: 1.5 } }, 'retry.retries'],
    [
      'infinite retries',
      { providers: [provider('a')], retry: { retries: Number.POSITIVE_INFINITY } },
      'retry.retries',
    ],
    ['a string retries', { providers: [provider('a')], retry: { retries: '3' } }, 'retry.retries'],
    ['negative minDelayMs', { providers: [provider('a')], retry: { minDelayMs: -1 } }, 'retry.minDelayMs'],
    ['NaN maxDelayMs', { providers: [provider('a')], retry: { maxDelayMs: Number.NaN } }, 'retry.maxDelayMs'],
    [
      'maxDelayMs < minDelayMs',
      { providers: [provider('a')], retry: { minDelayMs: 500, maxDelayMs: 100 } },
      'retry.maxDelayMs',
    ],
    [
      'negative maxRetryAfterMs',
      { providers: [provider('a')], retry: { maxRetryAfterMs: -5 } },
      'retry.maxRetryAfterMs',
    ],
    ['retry that is not an object', { providers: [provider('a')], retry: 3 }, 'retry'],
    ['timeoutMs 0', { providers: [provider('a')], timeoutMs: 0 }, 'timeoutMs'],
    ['non-integer timeoutMs', { providers: [provider('a')], timeoutMs: 10.5 }, 'timeoutMs'],
    ['concurrency 0', { providers: [provider('a')], concurrency: 0 }, 'concurrency'],
    ['non-integer concurrency', { providers: [provider('a')], concurrency: 2.5 }, 'concurrency'],
    ['negative maxQueue', { providers: [provider('a')], maxQueue: -1 }, 'maxQueue'],
    [
      'a non-function onListenerError',
      { providers: [provider('a')], onListenerError: 'log' },
      'onListenerError',
    ],
  ])('refuses %s with INVALID_CONFIG naming the option', (_what, options, option) => {
    const error = configError(options);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`${option}:`);
    expect(error.issues?.map((issue) => issue.path)).toContain(option);
  });

  it('refuses missing options with INVALID_CONFIG', () => {
    const error = configError(undefined);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('options: expected an object');
  });

  it('names every wrong option at once', () => {
    const error = configError({ providers: [provider('a')], timeoutMs: 0, concurrency: 0, maxQueue: -1 });
    expect(error.issues?.map((issue) => issue.path)).toEqual(['timeoutMs', 'concurrency', 'maxQueue']);
  });

  it('is what createDispatcher and new Dispatcher run', () => {
    expect(() => createDispatcher({ providers: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
    expect(() => new Dispatcher({ providers: [provider('a')], concurrency: 0 })).toThrow(/concurrency/);
    expect(createDispatcher({ providers: [provider('a'), provider('b')] }).providers).toEqual(['a', 'b']);
  });
});

describe('resolveDispatcherOptions: routes', () => {
  const provider = (id: string) => ({
    id,
    send: async () => ({ provider: id, messageId: 'x', to: '+1', acceptedAt: new Date() }),
  });

  it('resolves route ids to providers, longest prefix first', () => {
    const a = provider('a');
    const b = provider('b');
    const resolved = resolveDispatcherOptions({
      providers: [a, b],
      routes: [
        { prefix: '+9', providers: ['a'] },
        { prefix: '+91', providers: ['b', 'a'] },
      ],
    });
    expect(resolved.routes.map((route) => [route.prefix, route.providers.map((p) => p.id)])).toEqual([
      ['+91', ['b', 'a']],
      ['+9', ['a']],
    ]);
  });

  it('refuses unknown ids, repeated ids and repeated or malformed prefixes with their paths', () => {
    let error: unknown;
    try {
      resolveDispatcherOptions({
        providers: [provider('a')],
        routes: [
          { prefix: '+91', providers: ['a', 'a'] },
          { prefix: '+91', providers: ['ghost'] },
        ],
      });
    } catch (caught) {
      error = caught;
    }
    expect((error as OtpError).code).toBe('INVALID_CONFIG');
    expect((error as OtpError).issues?.map((issue) => issue.path)).toEqual([
      'routes.0.providers',
      'routes.1.prefix',
      'routes.1.providers.0',
    ]);
    expect(() =>
      resolveDispatcherOptions({ providers: [provider('a')], routes: [{ prefix: '91', providers: ['a'] }] }),
    ).toThrow(/routes\.0\.prefix/);
  });
});
