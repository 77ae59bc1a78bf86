import { isOtpError } from '@otpkit/core';
import { UsageError } from './args.js';
import type { CliIo } from './cli-io.js';
import { DOCTOR_HELP, doctor } from './doctor.js';
import { EMULATE_HELP, emulate } from './emulate.js';
import { EXIT, exitForError } from './exit-codes.js';
import { scrub, secretsIn } from './mask.js';
import { SEND_HELP, send } from './send.js';
import { VERIFY_HELP, verify } from './verify.js';

export const MAIN_HELP = `Usage: otpkit <command> [options]

Commands:
  doctor     check the configuration in the environment and that each vendor can be reached
  send       send one real OTP through the configured providers, showing its events live
  emulate    serve a vendor emulator (kaleyra, twilio, vonage) on a local port
  verify     start a verification or check a code (@otpkit/verify)

otpkit <command> --help shows a command's options and exit statuses.
Secrets (API keys, tokens, the verify secret) are never printed: at most their last 2 characters.
Colour only on a terminal, and never with NO_COLOR set.`;

const COMMANDS: Record<
  string,
  { run: (argv: readonly string[], io: CliIo) => Promise<number>; help: string }
> = {
  doctor: { run: doctor, help: DOCTOR_HELP },
  send: { run: send, help: SEND_HELP },
  emulate: { run: emulate, help: EMULATE_HELP },
  verify: { run: verify, help: VERIFY_HELP },
};

/** Runs one `otpkit` command line and resolves with its exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    io.out(topic && COMMANDS[topic] ? COMMANDS[topic].help : MAIN_HELP);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    io.out((createRequire(import.meta.url)('../package.json') as { version: string }).version);
    return EXIT.OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`otpkit: unknown command "${name}"\n\n${MAIN_HELP}`);
    return EXIT.USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`otpkit ${name}: ${error.message}\nRun otpkit ${name} --help for its options.`);
      return EXIT.USAGE;
    }
    const secrets = secretsIn(io.env);
    if (isOtpError(error)) {
      io.err(scrub(`otpkit ${name}: ${error.code}: ${error.message}`, secrets));
      return exitForError(error.code);
    }
    // Not ours to print in full: the name and message only, scrubbed, never a stack with values.
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.err(scrub(`otpkit ${name}: unexpected failure: ${detail}`, secrets));
    return EXIT.FAILED;
  }
}
