import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports a package the app may have installed (a provider, the Redis store): from the CLI's own
 * resolution first, then from the app's directory `cwd` (an `npx otpkit` run resolves from elsewhere).
 * `undefined` when neither has it.
 */
export async function importFromApp(
  specifier: string,
  cwd: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch {
    try {
      const require = createRequire(join(cwd, 'package.json'));
      return (await import(pathToFileURL(require.resolve(specifier)).href)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}
