import type { ProviderPlugin } from '../plugin.js';
import { invalidConfig } from '../validation.js';

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

export function pluginRegistry(plugins: readonly ProviderPlugin[] | undefined): Map<string, ProviderPlugin> {
  if (!Array.isArray(plugins)) {
    throw invalidConfig('Invalid otpkit config', [
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
      throw invalidConfig('Invalid otpkit config', [
        { path: `plugins.${index}`, message: 'expected a provider plugin (defineProviderPlugin)' },
      ]);
    }
    if (registry.has(plugin.id))
      throw invalidConfig('Invalid otpkit config', [
        { path: `plugins.${index}`, message: `plugin "${plugin.id}" is given twice` },
      ]);
    registry.set(plugin.id, plugin);
  });
  return registry;
}

export function registered(registry: Map<string, unknown>): string {
  return registry.size === 0 ? 'no plugins are registered' : `registered: ${[...registry.keys()].join(', ')}`;
}

export function unknownProvider(id: string, registry: Map<string, unknown>): string {
  const hint = /^[a-z0-9][a-z0-9-]*$/.test(id)
    ? `; if it comes from the package @otpkit/provider-${id}, install it and pass its plugin in { plugins }`
    : '';
  return `unknown provider "${id}" (${registered(registry)})${hint}`;
}
