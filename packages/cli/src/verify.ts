import { randomBytes } from 'node:crypto';
import { isOtpError, loadOtpKit } from '@otpkit/core';
import { createVerifier, refusalReason, verifierOptionsFromEnv } from '@otpkit/verify';
import { parseCommandArgs, UsageError } from './args.js';
import { type CliIo, paint } from './cli-io.js';
import { readEnvConfig } from './env-config.js';
import { EXIT, exitForError } from './exit-codes.js';
import { scrub, secretsIn } from './mask.js';
import { openStore } from './verify-store.js';

export const VERIFY_HELP = `Usage: otpkit verify start --to NUMBER [--store URL] [--locale L] [--key K] [--reference REF]
       otpkit verify check --to NUMBER --code CODE --store URL

start makes a code, stores its HMAC and sends it through the configured providers (@otpkit/verify's
createVerifier, with the OTPKIT_VERIFY_* settings); check checks a code.

Stores:
  no --store          the memory store, which lives in this process only: "verify start" then asks
                      for the code on standard input and checks it itself (a later "verify check"
                      could not see it). OTPKIT_VERIFY_SECRET is optional then (a random one is used).
  --store redis://…   the Redis store (@otpkit/store-redis, with ioredis or redis installed): start
                      and check may run in different processes, as your app's do; needs the app's
                      OTPKIT_VERIFY_SECRET, or the codes will not match.

Options:
  --to NUMBER         the number, E.164
  --code CODE         the code to check (check)
  --store URL         redis:// or rediss:// URL (rediss for TLS)
  --locale L          the text's language (start)
  --key K             what limits are counted by: an IP, a user id (start)
  --reference REF     your correlation id (start)
  -h, --help          this text

Exit status: 0 sent (start with --store) or approved; 1 not approved (wrong, expired, locked, not
found) or not sent; 2 wrong command line; 3 configuration, credentials or store not usable;
4 refused (limits, blocked prefix, pumping guard, vendor refusal).`;

export async function verify(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      to: { type: 'string' },
      code: { type: 'string' },
      store: { type: 'string' },
      locale: { type: 'string' },
      key: { type: 'string' },
      reference: { type: 'string' },
    },
    1,
  );
  if (values.help) {
    io.out(VERIFY_HELP);
    return EXIT.OK;
  }
  const action = positionals[0];
  if (action !== 'start' && action !== 'check') {
    throw new UsageError(
      action === undefined ? 'expected start or check' : `unknown action "${action}" (start, check)`,
    );
  }
  if (values.to === undefined) throw new UsageError('--to: expected the number, e.g. --to +14155550123');
  if (action === 'check') {
    if (values.code === undefined) throw new UsageError('--code: expected the code to check');
    if (values.store === undefined) {
      throw new UsageError(
        '--store: check needs a shared store (--store redis://…); without one, verifications live only in the "verify start" process, which asks for the code itself',
      );
    }
  }
  const secrets = secretsIn(io.env);
  const clean = (text: string) => scrub(text, secrets);
  const problem = (code: string, message: string) => io.err(clean(`otpkit verify: ${code}: ${message}`));

  let opened: Awaited<ReturnType<typeof openStore>>;
  try {
    opened = await openStore(values.store);
  } catch (error) {
    if (!isOtpError(error)) throw error;
    problem(error.code, error.message);
    return EXIT.CONFIG;
  }

  try {
    const env = { ...io.env };
    if (!env.OTPKIT_VERIFY_SECRET?.trim()) {
      if (!opened.perProcess) {
        problem('INVALID_CONFIG', 'OTPKIT_VERIFY_SECRET: expected the secret your app uses with this store');
        return EXIT.CONFIG;
      }
      env.OTPKIT_VERIFY_SECRET = randomBytes(32).toString('base64');
    }
    let settings: ReturnType<typeof verifierOptionsFromEnv>;
    try {
      settings = verifierOptionsFromEnv(env);
    } catch (error) {
      if (!isOtpError(error)) throw error;
      for (const issue of error.issues ?? []) problem(error.code, `${issue.path}: ${issue.message}`);
      return EXIT.CONFIG;
    }

    const read = await readEnvConfig(io.env);
    if (read.issues.length > 0 || !read.config) {
      for (const issue of read.issues) problem('INVALID_CONFIG', `${issue.path}: ${issue.message}`);
      io.err('Run otpkit doctor for the whole configuration.');
      return EXIT.CONFIG;
    }
    const dispatcher = await loadOtpKit(read.config, { plugins: read.plugins });
    const verifier = createVerifier({ ...settings, dispatcher, store: opened.store });
    dispatcher.on('retrying', (event) =>
      io.out(
        `${paint(io, 'yellow', 'retrying')}  ${event.provider} ${event.error.code}; next in ${event.delayMs} ms`,
      ),
    );
    dispatcher.on('failover', (event) =>
      io.out(
        `${paint(io, 'yellow', 'failover')}  ${event.provider} ${event.error.code}; trying ${event.nextProvider}`,
      ),
    );
    try {
      if (action === 'check') return (await check(verifier, values.to, values.code!, io)).exit;
      const started = await verifier.start({
        to: values.to,
        ...(values.locale === undefined ? {} : { locale: values.locale }),
        ...(values.key === undefined ? {} : { key: values.key }),
        ...(values.reference === undefined ? {} : { reference: values.reference }),
        signal: io.signal,
      });
      const via = started.dispatch
        ? `via ${started.dispatch.provider} (${started.dispatch.messageId})`
        : '(a test number: no SMS)';
      io.out(
        `${paint(io, 'green', 'started')}  code sent to ${started.to} ${via}; expires ${started.expiresAt.toISOString()}, resend from ${started.resendAt.toISOString()}, send ${started.sends}`,
      );
      io.out(`store: ${opened.description}`);
      if (!opened.perProcess) return EXIT.OK;
      io.out('Type the code you received (the memory store lives in this process; Ctrl-D to stop):');
      for await (const line of io.lines?.() ?? []) {
        const code = line.trim();
        if (code === '') continue;
        const { exit, status } = await check(verifier, values.to, code, io);
        // A wrong code leaves the verification pending: ask again. Anything else ends it.
        if (status !== 'pending') return exit;
      }
      io.out('no code given');
      return EXIT.FAILED;
    } catch (error) {
      if (!isOtpError(error)) throw error;
      const reason = refusalReason(error);
      const where = error.code === 'STORE_UNAVAILABLE' ? `--store ${opened.description}: ` : '';
      problem(error.code, `${where}${error.message}${reason ? ` (refused: ${reason})` : ''}`);
      if (error.code === 'RATE_LIMITED' && reason) return EXIT.REJECTED;
      return error.code === 'STORE_UNAVAILABLE' ? EXIT.CONFIG : exitForError(error.code);
    } finally {
      await dispatcher.close();
    }
  } finally {
    await opened.close();
  }
}

async function check(
  verifier: ReturnType<typeof createVerifier>,
  to: string,
  code: string,
  io: CliIo,
): Promise<{ exit: number; status: string }> {
  const result = await verifier.check({ to, code });
  if (result.status === 'approved') {
    io.out(paint(io, 'green', 'approved'));
    return { exit: EXIT.OK, status: result.status };
  }
  const left =
    result.status === 'pending'
      ? `: wrong code, ${result.attemptsLeft} attempt${result.attemptsLeft === 1 ? '' : 's'} left`
      : '';
  io.out(`${paint(io, 'red', result.status)}${left}`);
  return { exit: EXIT.FAILED, status: result.status };
}
