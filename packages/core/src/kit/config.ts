import * as v from 'valibot';
import {
  DISPATCHER_SETTING_KEYS,
  type DispatcherOptions,
  DispatcherSettingsSchema,
  retryBoundsIssue,
} from '../dispatcher-options.js';
import type { OtpIssue } from '../errors.js';
import type { ProviderPlugin } from '../plugin.js';
import { ROUTE_PREFIX, ROUTE_PREFIX_MESSAGE, routedTwice } from '../route-rules.js';
import type { OtpProvider } from '../types.js';
import { invalidConfig, toOtpIssues } from '../validation.js';
import { pluginRegistry, registered, unknownProvider } from './plugins.js';

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

const DISPATCHER_KEYS = DISPATCHER_SETTING_KEYS;
const SettingsSchema = DispatcherSettingsSchema;
const TOP_LEVEL_KEYS = new Set(['provider', 'fallback', 'providers', 'routes', ...DISPATCHER_KEYS]);

/** Validates a config and builds its providers, without creating a dispatcher (for DI wiring). */
export function resolveOtpKit(config: OtpKitConfig, options: OtpKitOptions): ResolvedOtpKit {
  // Plain JavaScript callers may leave out the second argument: say what it is, not a TypeError.
  const registry = pluginRegistry((options as OtpKitOptions | undefined)?.plugins);
  const issues: OtpIssue[] = [];
  if (typeof config !== 'object' || config === null) {
    throw invalidConfig('Invalid otpkit config', [
      { path: '', message: 'expected a config object with at least "provider"' },
    ]);
  }

  for (const key of Object.keys(config)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      issues.push({ path: key, message: `unknown setting (known: ${[...TOP_LEVEL_KEYS].join(', ')})` });
    }
  }

  const order: string[] = [];
  if (typeof config.provider !== 'string' || config.provider === '') {
    issues.push({ path: 'provider', message: `expected the id of a provider (${registered(registry)})` });
  } else if (!registry.has(config.provider)) {
    issues.push({ path: 'provider', message: unknownProvider(config.provider, registry) });
  } else {
    order.push(config.provider);
  }

  if (config.fallback !== undefined) {
    if (!Array.isArray(config.fallback)) {
      issues.push({ path: 'fallback', message: 'expected a list of provider ids' });
    } else {
      config.fallback.forEach((id: unknown, index) => {
        const path = `fallback.${index}`;
        if (typeof id !== 'string' || id === '') issues.push({ path, message: 'expected a provider id' });
        else if (!registry.has(id)) issues.push({ path, message: unknownProvider(id, registry) });
        else if (order.includes(id) || id === config.provider)
          issues.push({ path, message: `"${id}" is already in the failover order` });
        else order.push(id);
      });
    }
  }

  // Routes: each names a provider and a fallback list, like the top level, for its prefix.
  const used = [...order];
  const routes: { prefix: string; providers: string[] }[] = [];
  if (config.routes !== undefined) {
    if (!Array.isArray(config.routes)) {
      issues.push({ path: 'routes', message: 'expected a list of { prefix, provider, fallback? }' });
    } else {
      const prefixes = new Set<string>();
      config.routes.forEach((route: unknown, index) => {
        const path = `routes.${index}`;
        if (typeof route !== 'object' || route === null) {
          issues.push({ path, message: 'expected { prefix, provider, fallback? }' });
          return;
        }
        const { prefix, provider, fallback } = route as Partial<OtpKitRoute>;
        if (typeof prefix !== 'string' || !ROUTE_PREFIX.test(prefix)) {
          issues.push({ path: `${path}.prefix`, message: ROUTE_PREFIX_MESSAGE });
        } else {
          const twice = routedTwice(prefix, prefixes, `${path}.prefix`);
          if (twice) issues.push(twice);
        }
        const ids: string[] = [];
        const check = (id: unknown, at: string) => {
          if (typeof id !== 'string' || id === '')
            issues.push({ path: at, message: 'expected a provider id' });
          else if (!registry.has(id)) issues.push({ path: at, message: unknownProvider(id, registry) });
          else if (ids.includes(id)) issues.push({ path: at, message: `"${id}" is already in this route` });
          else ids.push(id);
        };
        check(provider, `${path}.provider`);
        if (fallback !== undefined) {
          if (!Array.isArray(fallback)) {
            issues.push({ path: `${path}.fallback`, message: 'expected a list of provider ids' });
          } else {
            fallback.forEach((id, position) => {
              check(id, `${path}.fallback.${position}`);
            });
          }
        }
        if (typeof prefix === 'string') routes.push({ prefix, providers: ids });
        for (const id of ids) if (!used.includes(id)) used.push(id);
      });
    }
  }

  const providerOptions = config.providers ?? {};
  if (typeof providerOptions !== 'object' || providerOptions === null || Array.isArray(providerOptions)) {
    issues.push({ path: 'providers', message: 'expected an object of options by provider id' });
  } else {
    for (const id of Object.keys(providerOptions)) {
      if (!registry.has(id)) issues.push({ path: `providers.${id}`, message: unknownProvider(id, registry) });
    }
  }

  const parsed = new Map<string, unknown>();
  for (const id of used) {
    const plugin = registry.get(id)!;
    const input = (providerOptions as Record<string, unknown>)[id] ?? {};
    const result = v.safeParse(plugin.options, input);
    if (result.success) parsed.set(id, result.output);
    else issues.push(...toOtpIssues(result.issues, `providers.${id}`));
  }

  const settingsInput = Object.fromEntries(
    DISPATCHER_KEYS.filter((key) => (config as unknown as Record<string, unknown>)[key] !== undefined).map(
      (key) => [key, (config as unknown as Record<string, unknown>)[key]],
    ),
  );
  const settings = v.safeParse(SettingsSchema, settingsInput);
  if (!settings.success) issues.push(...toOtpIssues(settings.issues));
  else {
    // The dispatcher checks this too, but only when it is built: report it now, with the rest.
    const bounds = retryBoundsIssue(settings.output.retry);
    if (bounds) issues.push(bounds);
  }

  if (issues.length > 0) throw invalidConfig('Invalid otpkit config', issues);

  const providers = used.map((id) => registry.get(id)!.create(parsed.get(id)));
  const settingsOut = settingsInput as OtpKitDispatcherSettings;
  if (routes.length > 0) {
    // Numbers no route matches use the top-level order: a catch-all route, since `providers` now
    // also holds the providers only routes use.
    const catchAll = routes.some((route) => route.prefix === '+') ? [] : [{ prefix: '+', providers: order }];
    settingsOut.routes = [...routes, ...catchAll];
  }
  return { providers, settings: settingsOut };
}
