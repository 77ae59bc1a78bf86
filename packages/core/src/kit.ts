import * as v from 'valibot';
import { Dispatcher } from './dispatcher/index.js';
import {
  DISPATCHER_SETTING_KEYS,
  type DispatcherOptions,
  DispatcherSettingsSchema,
  retryBoundsIssue,
} from './dispatcher-options.js';
import { OtpError, type OtpIssue } from './errors.js';
import type { EnvBinding, ProviderPlugin } from './plugin.js';
import type { OtpProvider } from './types.js';
import { describeIssues, toOtpIssues } from './validation.js';

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
const PREFIX = /^\+\d{0,14}$/;

/**
 * Builds a ready dispatcher from configuration. The whole config is validated first: every problem is
 * reported at once in one `OtpError` `INVALID_CONFIG`, each with its path
 * (`providers.kaleyra.apiKey: expected ...`); values are never echoed.
 */
export function createOtpKit(config: OtpKitConfig, options: OtpKitOptions): Dispatcher {
  const { providers, settings } = resolveOtpKit(config, options);
  return new Dispatcher({ ...settings, providers });
}

/** Validates a config and builds its providers, without creating a dispatcher (for DI wiring). */
export function resolveOtpKit(config: OtpKitConfig, options: OtpKitOptions): ResolvedOtpKit {
  // Plain JavaScript callers may leave out the second argument: say what it is, not a TypeError.
  const registry = pluginRegistry((options as OtpKitOptions | undefined)?.plugins);
  const issues: OtpIssue[] = [];
  if (typeof config !== 'object' || config === null) {
    fail([{ path: '', message: 'expected a config object with at least "provider"' }]);
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
        if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
          issues.push({ path: `${path}.prefix`, message: 'expected "+" and up to 14 digits, e.g. "+91"' });
        } else if (prefixes.has(prefix)) {
          issues.push({ path: `${path}.prefix`, message: `"${prefix}" is routed twice` });
        } else {
          prefixes.add(prefix);
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

  if (issues.length > 0) fail(issues);

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

/** Names of the settings `configFromEnv` reads, and the option each sets. */
export const OTPKIT_ENV = Object.freeze({
  OTPKIT_PROVIDER: 'provider',
  OTPKIT_FALLBACK: 'fallback',
  OTPKIT_ROUTES: 'routes',
  OTPKIT_TIMEOUT_MS: 'timeoutMs',
  OTPKIT_DEADLINE_MS: 'deadlineMs',
  OTPKIT_CONCURRENCY: 'concurrency',
  OTPKIT_MAX_QUEUE: 'maxQueue',
  OTPKIT_RETRIES: 'retry.retries',
  OTPKIT_RETRY_MIN_DELAY_MS: 'retry.minDelayMs',
  OTPKIT_RETRY_MAX_DELAY_MS: 'retry.maxDelayMs',
  OTPKIT_RETRY_MAX_RETRY_AFTER_MS: 'retry.maxRetryAfterMs',
  OTPKIT_BREAKER_FAILURE_THRESHOLD: 'breaker.failureThreshold',
  OTPKIT_BREAKER_COOLDOWN_MS: 'breaker.cooldownMs',
});

/**
 * Reads a config from environment variables: `OTPKIT_PROVIDER`, `OTPKIT_FALLBACK` (comma-separated),
 * the dispatcher settings in `OTPKIT_ENV`, and each plugin's own variables (`KALEYRA_SID`, ...). Empty
 * variables count as unset. Throws `INVALID_CONFIG` naming the variable when one cannot be read; the
 * result is validated by `createOtpKit`.
 */
export function configFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  { plugins }: OtpKitOptions,
): OtpKitConfig {
  const issues: OtpIssue[] = [];
  const config: Record<string, unknown> = {};
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  for (const [name, option] of Object.entries(OTPKIT_ENV)) {
    const raw = read(name);
    if (raw === undefined) continue;
    if (option === 'provider') config.provider = raw;
    else if (option === 'fallback')
      config.fallback = raw
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
    else if (option === 'routes') {
      const routes = parseRoutes(raw);
      if (routes) config.routes = routes;
      else issues.push({ path: name, message: 'expected routes like "+91=kaleyra,twilio;+1=twilio"' });
    } else if (!/^\d+$/.test(raw)) issues.push({ path: name, message: 'expected a whole number' });
    else setPath(config, option, Number(raw));
  }
  if (config.provider === undefined) {
    issues.push({
      path: 'OTPKIT_PROVIDER',
      message: `expected the id of a provider (${registered(pluginRegistry(plugins))})`,
    });
  }

  const providers: Record<string, Record<string, unknown>> = {};
  for (const plugin of plugins) {
    for (const [name, binding] of Object.entries(plugin.env ?? {})) {
      const raw = read(name);
      if (raw === undefined) continue;
      const { option, parse } = typeof binding === 'string' ? ({ option: binding } as EnvBinding) : binding;
      try {
        providers[plugin.id] ??= {};
        providers[plugin.id]![option] = parse ? parse(raw) : raw;
      } catch {
        issues.push({ path: name, message: `could not be read as ${plugin.id} option "${option}"` });
      }
    }
  }
  if (Object.keys(providers).length > 0) config.providers = providers;
  if (issues.length > 0) fail(issues, 'Invalid otpkit environment');
  return config as unknown as OtpKitConfig;
}

export interface LoadOtpKitOptions extends Partial<OtpKitOptions> {
  /**
   * Imports a provider package by name. Default: `import()` from here, then from the app's working
   * directory (`process.cwd()`), so packages the app installed are found.
   */
  importer?: (specifier: string) => Promise<Record<string, unknown>>;
}

/**
 * Like `createOtpKit`, but first imports `@otpkit/provider-<id>` for every provider the config names
 * that is not among `plugins`. For apps that want pure configuration; passing `plugins` explicitly
 * stays the bundler-friendly way.
 */
export async function loadOtpKit(config: OtpKitConfig, options: LoadOtpKitOptions = {}): Promise<Dispatcher> {
  const plugins = [...(options.plugins ?? [])];
  const known = new Set(plugins.map((plugin) => plugin.id));
  const wanted = new Set<string>([
    ...(typeof config?.provider === 'string' ? [config.provider] : []),
    ...(Array.isArray(config?.fallback) ? config.fallback : []),
    ...Object.keys(config?.providers ?? {}),
    ...(Array.isArray(config?.routes)
      ? config.routes.flatMap((route) => [
          route?.provider,
          ...(Array.isArray(route?.fallback) ? route.fallback : []),
        ])
      : []
    ).filter((id): id is string => typeof id === 'string'),
  ]);
  const importer = options.importer ?? importFromApp;
  for (const id of wanted) {
    if (known.has(id) || !/^[a-z0-9][a-z0-9-]*$/.test(id)) continue;
    let exports: Record<string, unknown>;
    try {
      exports = await importer(`@otpkit/provider-${id}`);
    } catch {
      continue; // reported by createOtpKit as an unknown provider, with the package to install
    }
    const plugin = Object.values(exports).find(
      (value): value is ProviderPlugin => isProviderPlugin(value) && value.id === id,
    );
    if (plugin) {
      plugins.push(plugin);
      known.add(id);
    }
  }
  return createOtpKit(config, { plugins });
}

/** True for an object shaped like a `ProviderPlugin`. */
export function isProviderPlugin(value: unknown): value is ProviderPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ProviderPlugin).id === 'string' &&
    typeof (value as ProviderPlugin).create === 'function' &&
    typeof (value as ProviderPlugin).options === 'object'
  );
}

async function importFromApp(specifier: string): Promise<Record<string, unknown>> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch {
    const { createRequire } = await import('node:module');
    const { pathToFileURL } = await import('node:url');
    const { dirname, join } = await import('node:path');
    const require = createRequire(join(process.cwd(), 'package.json'));
    const manifestPath = require.resolve(`${specifier}/package.json`);
    const manifest = require(manifestPath) as { exports?: { '.'?: { import?: string } | string } };
    const entry = manifest.exports?.['.'];
    const target = typeof entry === 'string' ? entry : entry?.import;
    if (!target) throw new Error(`${specifier} has no ESM entry`);
    return (await import(pathToFileURL(join(dirname(manifestPath), target)).href)) as Record<string, unknown>;
  }
}

function pluginRegistry(plugins: readonly ProviderPlugin[] | undefined): Map<string, ProviderPlugin> {
  if (!Array.isArray(plugins)) {
    fail([
      {
        path: 'plugins',
        message:
          'expected a list of provider plugins, e.g. createOtpKit(config, { plugins: [kaleyraPlugin] })',
      },
    ]);
  }
  const registry = new Map<string, ProviderPlugin>();
  plugins.forEach((plugin, index) => {
    if (!isProviderPlugin(plugin)) {
      fail([{ path: `plugins.${index}`, message: 'expected a provider plugin (defineProviderPlugin)' }]);
    }
    if (registry.has(plugin.id))
      fail([{ path: `plugins.${index}`, message: `plugin "${plugin.id}" is given twice` }]);
    registry.set(plugin.id, plugin);
  });
  return registry;
}

function registered(registry: Map<string, unknown>): string {
  return registry.size === 0 ? 'no plugins are registered' : `registered: ${[...registry.keys()].join(', ')}`;
}

function unknownProvider(id: string, registry: Map<string, unknown>): string {
  const hint = /^[a-z0-9][a-z0-9-]*$/.test(id)
    ? `; if it comes from the package @otpkit/provider-${id}, install it and pass its plugin in { plugins }`
    : '';
  return `unknown provider "${id}" (${registered(registry)})${hint}`;
}

/**
 * Reads `OTPKIT_ROUTES`: routes separated by `;`, each `prefix=provider[,fallback...]`, e.g.
 * `"+91=kaleyra,twilio;+1=twilio"`. `undefined` when the text does not have that form.
 */
export function parseRoutes(text: string): OtpKitRoute[] | undefined {
  const routes: OtpKitRoute[] = [];
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const match = /^\s*([^=\s]+)\s*=\s*(.+?)\s*$/.exec(part);
    if (!match) return undefined;
    const [provider, ...fallback] = match[2]!
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (provider === undefined) return undefined;
    routes.push({ prefix: match[1]!, provider, ...(fallback.length > 0 ? { fallback } : {}) });
  }
  return routes;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

function fail(issues: OtpIssue[], title = 'Invalid otpkit config'): never {
  throw new OtpError('INVALID_CONFIG', `${title}: ${describeIssues(issues)}`, { issues });
}
