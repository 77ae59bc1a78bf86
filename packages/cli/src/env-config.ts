import {
  configFromEnv,
  DISPATCHER_DEFAULTS,
  isOtpError,
  isProviderPlugin,
  OTPKIT_ENV,
  type OtpIssue,
  type OtpKitConfig,
  type OtpProvider,
  type ProviderPlugin,
  parseRoutes,
  resolveOtpKit,
} from '@otpkit/core';
import { fakePlugin } from '@otpkit/provider-fake';
import { KALEYRA_DEFAULT_BASE_URL, KALEYRA_REGIONS, kaleyraPlugin } from '@otpkit/provider-kaleyra';
import { TWILIO_DEFAULT_BASE_URL, twilioPlugin } from '@otpkit/provider-twilio';
import { VONAGE_DEFAULT_BASE_URL, vonagePlugin } from '@otpkit/provider-vonage';
import { importFromApp } from './import-from-app.js';
import { isSecretName, maskIfSecret, maskSecret } from './mask.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The plugins the CLI ships with; any other `@otpkit/provider-<id>` is looked for where you run it. */
export const BUILT_IN_PLUGINS: readonly ProviderPlugin[] = [
  kaleyraPlugin,
  twilioPlugin,
  vonagePlugin,
  fakePlugin,
];

/** One variable the configuration was read from, its value masked when it is a secret. */
export interface ConfigVariable {
  name: string;
  /** The option it sets: `provider`, `retry.retries`, `providers.kaleyra.apiKey`. */
  option: string;
  value: string;
}

/** What reading the environment as `configFromEnv` does gave. */
export interface EnvConfig {
  plugins: ProviderPlugin[];
  variables: ConfigVariable[];
  /** Every problem, with its path: a variable name, or an option path with its variable. */
  issues: OtpIssue[];
  /** The config, when the environment could be read. */
  config: OtpKitConfig | undefined;
  /** The providers in failover order, when the config is valid. */
  providers: OtpProvider[] | undefined;
}

/** Ids of the providers the environment names, in failover order, routes' providers after. */
export function providerIdsFromEnv(env: Env): string[] {
  const read = (name: string) => env[name]?.trim() || undefined;
  const ids: string[] = [];
  const add = (id: string | undefined) => {
    if (id && !ids.includes(id)) ids.push(id);
  };
  add(read('OTPKIT_PROVIDER'));
  for (const id of (read('OTPKIT_FALLBACK') ?? '').split(',')) add(id.trim());
  const routes = read('OTPKIT_ROUTES');
  for (const route of (routes && parseRoutes(routes)) || []) {
    add(route.provider);
    for (const id of route.fallback ?? []) add(id);
  }
  return ids;
}

/**
 * The plugins for these ids, found as `loadOtpKit` finds them: the CLI's own, then the package
 * `@otpkit/provider-<id>` imported from the CLI, then from the working directory (the app's install).
 */
export async function findPlugins(ids: readonly string[], cwd = process.cwd()): Promise<ProviderPlugin[]> {
  const plugins = [...BUILT_IN_PLUGINS];
  for (const id of ids) {
    if (plugins.some((plugin) => plugin.id === id) || !/^[a-z0-9][a-z0-9-]*$/.test(id)) continue;
    const exports = await importFromApp(`@otpkit/provider-${id}`, cwd);
    const plugin = Object.values(exports ?? {}).find(
      (value): value is ProviderPlugin => isProviderPlugin(value) && value.id === id,
    );
    if (plugin) plugins.push(plugin);
  }
  return plugins;
}

/**
 * Reads the configuration from `env` exactly as `configFromEnv` does, and validates it as `createOtpKit`
 * does, collecting every problem instead of stopping at the first throw: variables that cannot be read
 * are set aside and the rest is validated too.
 */
export async function readEnvConfig(env: Env, cwd?: string): Promise<EnvConfig> {
  const plugins = await findPlugins(providerIdsFromEnv(env), cwd);
  const variables = listVariables(env, plugins);
  const issues: OtpIssue[] = [];
  let config: OtpKitConfig | undefined;
  try {
    config = configFromEnv(env, { plugins });
  } catch (error) {
    if (!isOtpError(error) || !error.issues) throw error;
    issues.push(...error.issues);
    const unreadable = new Set(error.issues.map((issue) => issue.path));
    const rest = Object.fromEntries(Object.entries(env).filter(([name]) => !unreadable.has(name)));
    try {
      config = configFromEnv(rest, { plugins });
    } catch {
      config = undefined;
    }
  }
  let providers: OtpProvider[] | undefined;
  if (config) {
    try {
      providers = resolveOtpKit(config, { plugins }).providers;
    } catch (error) {
      if (!isOtpError(error) || !error.issues) throw error;
      const byOption = variableNames(plugins);
      for (const issue of error.issues) {
        const variable = byOption.get(issue.path);
        issues.push(variable ? { path: `${issue.path} (${variable})`, message: issue.message } : issue);
      }
    }
  }
  return { plugins, variables, issues, config, providers: issues.length === 0 ? providers : undefined };
}

/** Every variable name by the option it sets: `providers.kaleyra.sid` → `KALEYRA_SID`. */
function variableNames(plugins: readonly ProviderPlugin[]): Map<string, string> {
  const names = new Map<string, string>(Object.entries(OTPKIT_ENV).map(([name, option]) => [option, name]));
  for (const plugin of plugins) {
    for (const [name, binding] of Object.entries(plugin.env ?? {})) {
      const option = `providers.${plugin.id}.${typeof binding === 'string' ? binding : binding.option}`;
      if (!names.has(option)) names.set(option, name);
    }
  }
  return names;
}

function listVariables(env: Env, plugins: readonly ProviderPlugin[]): ConfigVariable[] {
  const variables: ConfigVariable[] = [];
  const add = (name: string, option: string) => {
    const value = env[name]?.trim();
    if (value) variables.push({ name, option, value: maskIfSecret(name, value) });
  };
  for (const [name, option] of Object.entries(OTPKIT_ENV)) add(name, option);
  for (const plugin of plugins) {
    for (const [name, binding] of Object.entries(plugin.env ?? {})) {
      const option = typeof binding === 'string' ? binding : binding.option;
      const value = env[name]?.trim();
      if (value) {
        variables.push({
          name,
          option: `providers.${plugin.id}.${option}`,
          value: isSecretName(option) ? maskSecret(value) : maskIfSecret(name, value),
        });
      }
    }
  }
  return variables;
}

/** The dispatcher settings in force: each one set, or its default. */
export function effectiveSettings(
  config: OtpKitConfig | undefined,
): { option: string; value: string; source: string }[] {
  const given = (config ?? {}) as unknown as Record<string, unknown>;
  const defaults: Record<string, unknown> = {
    timeoutMs: DISPATCHER_DEFAULTS.timeoutMs,
    deadlineMs: DISPATCHER_DEFAULTS.deadlineMs,
    concurrency: DISPATCHER_DEFAULTS.concurrency,
    maxQueue: DISPATCHER_DEFAULTS.maxQueue,
    'retry.retries': DISPATCHER_DEFAULTS.retry.retries,
    'retry.minDelayMs': DISPATCHER_DEFAULTS.retry.minDelayMs,
    'retry.maxDelayMs': DISPATCHER_DEFAULTS.retry.maxDelayMs,
    'retry.maxRetryAfterMs': DISPATCHER_DEFAULTS.retry.maxRetryAfterMs,
    'breaker.failureThreshold': DISPATCHER_DEFAULTS.breaker.failureThreshold,
    'breaker.cooldownMs': DISPATCHER_DEFAULTS.breaker.cooldownMs,
  };
  return Object.entries(defaults).map(([option, fallback]) => {
    const [head, tail] = option.split('.') as [string, string | undefined];
    const value =
      tail === undefined ? given[head] : (given[head] as Record<string, unknown> | undefined)?.[tail];
    return value === undefined
      ? { option, value: String(fallback), source: 'default' }
      : { option, value: String(value), source: 'set' };
  });
}

/** The base URL each built-in vendor uses when its options set none. */
const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = {
  kaleyra: KALEYRA_DEFAULT_BASE_URL,
  twilio: TWILIO_DEFAULT_BASE_URL,
  vonage: VONAGE_DEFAULT_BASE_URL,
};

/**
 * The host a provider sends to: `override` (the `--base-url` flag), else its `baseUrl` option, else
 * Kaleyra's `region`, else the vendor's default; `undefined` for a provider with no host (the fake, or a
 * plugin whose default the CLI does not know).
 */
export function baseUrlOf(
  id: string,
  config: OtpKitConfig | undefined,
  override?: string,
): string | undefined {
  if (override) return override;
  const options = (config?.providers?.[id] ?? {}) as Record<string, unknown>;
  if (typeof options.baseUrl === 'string') return options.baseUrl;
  if (id === 'kaleyra' && typeof options.region === 'string' && options.region in KALEYRA_REGIONS) {
    return KALEYRA_REGIONS[options.region as keyof typeof KALEYRA_REGIONS];
  }
  return DEFAULT_BASE_URLS[id];
}

/** The provider ids of a config in the order the dispatcher tries them (routes' providers after). */
export function providerOrder(config: OtpKitConfig | undefined, env: Env): string[] {
  if (!config) return providerIdsFromEnv(env);
  const ids: string[] = [];
  const add = (id: unknown) => {
    if (typeof id === 'string' && id && !ids.includes(id)) ids.push(id);
  };
  add(config.provider);
  for (const id of config.fallback ?? []) add(id);
  for (const route of config.routes ?? []) {
    add(route.provider);
    for (const id of route.fallback ?? []) add(id);
  }
  return ids;
}
