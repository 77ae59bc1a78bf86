import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A wrong command line: printed with the command's usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` in strict mode, with its errors turned into a `UsageError` that names the flag
 * (`unknown option --tp`), and `--help` / `-h` always accepted.
 */
export function parseCommandArgs<T extends Options>(argv: readonly string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: positionals > 0,
    });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
    }
    return parsed as {
      values: {
        [K in keyof T]?: T[K] extends { multiple: true }
          ? string[]
          : T[K] extends { type: 'boolean' }
            ? boolean
            : string;
      } & {
        help?: boolean;
      };
      positionals: string[];
    };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs words it as "Unknown option '--tp'. To specify a positional argument starting with a '-' ..."
    throw new UsageError(
      message
        .split('. ')[0]!
        .replace(/^Option/, 'option')
        .replace(/^Unknown/, 'unknown'),
    );
  }
}

/** A whole number flag, or a `UsageError` naming it. */
export function integerFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  min = 0,
  max = 2_147_483_647,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}
