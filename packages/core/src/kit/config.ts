import * as v from 'valibot';
import { DISPATCHER_SETTING_KEYS, type DispatcherOptions } from '../dispatcher-options.js';
import type { ProviderPlugin } from '../plugin.js';
import type { OtpProvider } from '../types.js';
import { invalidConfig, toOtpIssues } from '../validation.js';
import { inConfigOrder, otpKitConfigSchema } from './config-schema.js';
import { pluginRegistry } from './plugins.js';

/** Dispatcher settings that configuration can set (everything but the providers and callbacks). */
export type OtpKitDispatcherSettings = Omit<DispatcherOptions, 'providers' | 'onListenerError'>;

/** Numbers starting with `prefix` go to `provider`, then `fallback`, instead of the top-level order. */
export interface OtpKitRoute {
  /** `"+"` and up to 14 digits: `"+91"`, `"+1"`. The longest matching prefix wins. */
  prefix: string;
  /** Id of the provider tried first for these numbers. */
  provider: string;
  /** Providers tried next for these numbers, in order. Default: none. */
  fallback?: readonly string[];
}

/** Configuration of an otpkit setup: which vendors, in which order, with which options. */
export interface OtpKitConfig extends Omit<OtpKitDispatcherSettings, 'routes'> {
  /**
   * Routing by destination, e.g. `[{ prefix: "+91", provider: "kaleyra" }, { prefix: "+1", provider:
   * "twilio" }]`: the longest matching prefix picks the providers; other numbers use `provider` and
   * `fallback`. Default: none.
   */
  routes?: readonly OtpKitRoute[];
  /** Id of the provider tried first, e.g. `"kaleyra"`. */
  provider: string;
  /** Providers tried next, in order, when the first fails in a way another vendor may not. */
  fallback?: readonly string[];
  /** Options of each provider, by id: `{ kaleyra: { sid, apiKey, sender } }`. */
  providers?: Readonly<Record<string, unknown>>;
}

export interface OtpKitOptions {
  /** The provider plugins the config may name, e.g. `[kaleyraPlugin, fakePlugin]`. */
  plugins: readonly ProviderPlugin[];
}

/** A validated config: the providers built in failover order, and the dispatcher settings. */
export interface ResolvedOtpKit {
  providers: OtpProvider[];
  settings: OtpKitDispatcherSettings;
}

/** Validates a config and builds its providers, without creating a dispatcher (for DI wiring). */
export function resolveOtpKit(config: OtpKitConfig, options: OtpKitOptions): ResolvedOtpKit {
  // Plain JavaScript callers may leave out the second argument: say what it is, not a TypeError.
  const registry = pluginRegistry((options as OtpKitOptions | undefined)?.plugins);
  const result = v.safeParse(otpKitConfigSchema(registry), config);
  if (!result.success) {
    throw invalidConfig('Invalid otpkit config', inConfigOrder(toOtpIssues(result.issues)));
  }
  const valid = result.output as OtpKitConfig;
  const order = [valid.provider, ...(valid.fallback ?? [])];
  const routes = (valid.routes ?? []).map((route) => ({
    prefix: route.prefix,
    providers: [route.provider, ...(route.fallback ?? [])],
  }));
  const used = [...new Set([...order, ...routes.flatMap((route) => route.providers)])];
  const providers = used.map((id) => {
    const plugin = registry.get(id)!;
    return plugin.create(v.parse(plugin.options, valid.providers?.[id] ?? {}));
  });
  const settings = Object.fromEntries(
    DISPATCHER_SETTING_KEYS.filter(
      (key) => (valid as unknown as Record<string, unknown>)[key] !== undefined,
    ).map((key) => [key, (config as unknown as Record<string, unknown>)[key]]),
  ) as OtpKitDispatcherSettings;
  if (routes.length > 0) {
    // Numbers no route matches use the top-level order: a catch-all route, since `providers` now
    // also holds the providers only routes use.
    const catchAll = routes.some((route) => route.prefix === '+') ? [] : [{ prefix: '+', providers: order }];
    settings.routes = [...routes, ...catchAll];
  }
  return { providers, settings };
}

/**
 * The valibot schema of an otpkit config for these plugins: the one `createOtpKit` checks a config
 * with (shape, ids, routes, each provider's options by its plugin's schema, dispatcher settings). For
 * checking a config file in your own tooling: `v.safeParse(createOtpKitConfigSchema({ plugins }), json)`.
 */
export function createOtpKitConfigSchema(options: OtpKitOptions): v.GenericSchema<unknown, OtpKitConfig> {
  return otpKitConfigSchema(pluginRegistry((options as OtpKitOptions | undefined)?.plugins)) as never;
}
