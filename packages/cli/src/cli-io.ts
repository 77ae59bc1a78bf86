import { styleText } from 'node:util';

/** Where a command writes, what it reads, and the environment it sees: the process's, or a test's. */
export interface CliIo {
  /** Standard output: results, events, the report. */
  out(line: string): void;
  /** Standard error: problems and usage errors. */
  err(line: string): void;
  /** The environment the command reads (`process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Colour on standard output (a TTY, and no `NO_COLOR`). */
  color: boolean;
  /** Lines typed on standard input, for `verify start` with the per-process store. */
  lines?: () => AsyncIterable<string>;
  /** Aborted on Ctrl-C: a send in flight is cancelled, a server closes. */
  signal: AbortSignal;
}

type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold';

/**
 * Colours `text` when the output takes colour. `util.styleText` does the styling; the decision is made
 * here (a TTY, `NO_COLOR` unset or empty, `FORCE_COLOR` to force it), so it is the same on every Node
 * version the CLI supports, whatever `styleText` checks on its own.
 */
export function paint(io: Pick<CliIo, 'color'>, style: Style, text: string): string {
  return io.color ? styleText(style, text, { validateStream: false }) : text;
}

/** Whether a stream takes colour, from the rules `paint` follows. */
export function wantsColor(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
