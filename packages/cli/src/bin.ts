#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { runCli } from './cli.js';
import { wantsColor } from './cli-io.js';

const controller = new AbortController();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second Ctrl-C ends the process at once; the first lets a send or a server end cleanly.
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort(new Error(`${signal} received`));
  });
}

const status = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  color: wantsColor(process.stdout, process.env),
  lines: () => createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
  signal: controller.signal,
});
// A command that read standard input (verify start) leaves it open: let go of it so the process ends.
process.stdin.destroy();
process.exitCode = interrupted && status === 0 && process.argv[2] !== 'emulate' ? 130 : status;
