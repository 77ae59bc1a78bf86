import type { Dispatcher } from '../dispatcher/index.js';
import type { ProviderPlugin } from '../plugin.js';
import type { OtpKitConfig, OtpKitOptions } from './config.js';
import { createOtpKit } from './create.js';
import { isProviderPlugin } from './plugins.js';

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
