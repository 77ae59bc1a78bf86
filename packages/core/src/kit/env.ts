import type { OtpIssue } from '../errors.js';
import type { EnvBinding } from '../plugin.js';
import { invalidConfig } from '../validation.js';
import type { OtpKitConfig, OtpKitOptions, OtpKitRoute } from './config.js';
import { pluginRegistry, registered } from './plugins.js';

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
    else setOptionPath(config, option, Number(raw));
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
  if (issues.length > 0) throw invalidConfig('Invalid otpkit environment', issues);
  return config as unknown as OtpKitConfig;
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

/**
 * Sets `value` at a dotted option path (`"retry.retries"`), making the objects on the way: how an
 * environment variable lands in a nested config. For packages that read their options from the
 * environment as `configFromEnv` does (`@otpkit/verify`'s `verifierOptionsFromEnv`).
 */
export function setOptionPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}
