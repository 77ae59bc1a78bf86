import { defineProviderPlugin, type ProviderPlugin } from '@otpkit/core';
import * as v from 'valibot';
import { createFakeProvider, FakeLatencySchema, type FakeProvider } from './fake-provider.js';

/** Options of the fake when chosen by configuration (`providers: { fake: { latencyMs: 20 } }`). */
export const FakeOptionsSchema = v.object(
  {
    latencyMs: v.optional(FakeLatencySchema),
  },
  'options: expected an object',
);

/**
 * A plugin for the fake, so `provider: "fake"` (or `OTPKIT_PROVIDER=fake`, with `FAKE_LATENCY_MS`) works
 * by configuration. With an `instance`, every dispatcher built from config uses that very fake, so a test
 * can read its messages; without, each build creates a new one (reach it with `dispatcher.getProvider('fake')`).
 */
export function createFakePlugin(
  instance?: FakeProvider,
): ProviderPlugin<v.InferOutput<typeof FakeOptionsSchema>> {
  return defineProviderPlugin({
    id: 'fake',
    options: FakeOptionsSchema,
    env: { FAKE_LATENCY_MS: { option: 'latencyMs', parse: Number } },
    create: (options) =>
      instance ?? createFakeProvider(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  });
}

/** The fake's plugin: `provider: "fake"` builds a new fake provider. */
export const fakePlugin = createFakePlugin();
