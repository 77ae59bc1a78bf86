import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built bin, as npm links it: the global setup has built it. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Only what the test gives, plus PATH: no variable of the machine's leaks into a test. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', ...extra };
}

/** Runs `otpkit <args>` to its end, with `input` written to its standard input. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  { input, cwd }: { input?: (child: ChildProcess, stdout: () => string) => void; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), cwd: cwd ?? process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input) input(child, () => stdout);
    else child.stdin.end();
  });
}

/** A long-running command (`emulate`): `url` resolves once its banner is printed; `stop()` sends Ctrl-C. */
export function startCli(args: readonly string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env) });
  let stdout = '';
  let stderr = '';
  const closed = new Promise<CliRun>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match && stdout.includes('Ctrl-C stops it.')) resolve(match[1]!);
    });
    closed.then((run) => reject(new Error(`otpkit exited with ${run.code} before listening: ${run.stderr}`)));
  });
  return {
    url,
    output: () => stdout,
    /** Waits until the output matches `pattern`. */
    async waitFor(pattern: RegExp, timeoutMs = 5000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (Date.now() > until) throw new Error(`no ${pattern} in: ${stdout}`);
        await new Promise((done) => setTimeout(done, 20));
      }
    },
    async stop(): Promise<CliRun> {
      child.kill('SIGINT');
      return closed;
    },
  };
}

/** Waits until `read()` matches `pattern`. */
export async function until(
  read: () => string,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<RegExpExecArray> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (Date.now() > end) throw new Error(`no ${pattern} in: ${read()}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
