import { isOtpError, loadOtpKit, type OtpMessage, validateMessage } from '@otpkit/core';
import { generateCode } from '@otpkit/verify';
import { parseCommandArgs, UsageError } from './args.js';
import { type CliIo, paint } from './cli-io.js';
import { readEnvConfig } from './env-config.js';
import { EXIT, exitForError } from './exit-codes.js';
import { scrub, secretsIn } from './mask.js';

export const SEND_HELP = `Usage: otpkit send --to NUMBER [--text TEXT] [options]

Sends one real OTP through the providers the environment configures (as otpkit doctor shows them),
with the dispatcher's retries and failover, and shows its events as they happen: queued, retrying
(with the delay), failover, sent (with the vendor's message id and the time) or failed.

Options:
  --to NUMBER         the recipient, E.164 (+14155550123)
  --text TEXT         the message; default "Your otpkit test code is NNNNNN" with a fresh random code
  --sender ID         sender id (default: the provider's)
  --template-id ID    India DLT template id
  --reference REF     your correlation id, echoed in the events
  --json              one JSON object per line, per event, then the result
  -h, --help          this text

The text is never printed (it holds the code), nor any credential.

Exit status:
  0    sent: a vendor accepted the message
  1    not sent: the vendors failed, were unavailable, rate-limited or timed out
  2    wrong command line, or a number that is not E.164 (INVALID_INPUT)
  3    configuration or credentials wrong (INVALID_CONFIG, AUTHENTICATION)
  4    the vendor refused this message (REJECTED)
  130  interrupted (Ctrl-C)`;

export async function send(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    to: { type: 'string' },
    text: { type: 'string' },
    sender: { type: 'string' },
    'template-id': { type: 'string' },
    reference: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out(SEND_HELP);
    return EXIT.OK;
  }
  if (values.to === undefined) throw new UsageError('--to: expected the recipient, e.g. --to +14155550123');
  const secrets = secretsIn(io.env);
  const clean = (text: string) => scrub(text, secrets);
  const started = Date.now();
  const json = values.json === true;
  const line = (event: string, fields: Record<string, unknown>, text: string) => {
    if (json) io.out(clean(JSON.stringify({ event, ms: Date.now() - started, ...fields })));
    else io.out(clean(`${paint(io, 'dim', `+${String(Date.now() - started).padStart(5)} ms`)}  ${text}`));
  };
  const fail = (code: string, message: string) => {
    if (json) io.out(clean(JSON.stringify({ event: 'error', code, message })));
    else io.err(clean(`otpkit send: ${code}: ${message}`));
  };

  let message: OtpMessage;
  try {
    message = validateMessage({
      to: values.to,
      body: values.text ?? `Your otpkit test code is ${generateCode(6)}`,
      ...(values.sender === undefined ? {} : { sender: values.sender }),
      ...(values['template-id'] === undefined ? {} : { templateId: values['template-id'] }),
      ...(values.reference === undefined ? {} : { reference: values.reference }),
    });
  } catch (error) {
    if (!isOtpError(error)) throw error;
    // Flag names, not option names: "to" is --to, "body" is --text.
    const flags: Record<string, string> = { to: '--to', body: '--text', templateId: '--template-id' };
    for (const issue of error.issues ?? [])
      fail(error.code, `${flags[issue.path] ?? issue.path}: ${issue.message}`);
    return EXIT.USAGE;
  }

  const read = await readEnvConfig(io.env);
  if (read.issues.length > 0 || !read.config) {
    for (const issue of read.issues) fail('INVALID_CONFIG', `${issue.path}: ${issue.message}`);
    if (!json) io.err('Run otpkit doctor for the whole configuration.');
    return EXIT.CONFIG;
  }
  const dispatcher = await loadOtpKit(read.config, { plugins: read.plugins });
  const order = dispatcher.providersFor(message.to);
  dispatcher.on('queued', (event) =>
    line(
      'queued',
      { id: event.id, provider: event.provider, order },
      `queued     to ${event.to} via ${order.join(' → ')}`,
    ),
  );
  dispatcher.on('retrying', (event) =>
    line(
      'retrying',
      { provider: event.provider, attempt: event.attempt, code: event.error.code, delayMs: event.delayMs },
      `${paint(io, 'yellow', 'retrying')}   ${event.provider} attempt ${event.attempt} failed with ${event.error.code}${event.error.status ? ` (HTTP ${event.error.status})` : ''}; next in ${event.delayMs} ms`,
    ),
  );
  dispatcher.on('failover', (event) =>
    line(
      'failover',
      { provider: event.provider, nextProvider: event.nextProvider, code: event.error.code },
      `${paint(io, 'yellow', 'failover')}   ${event.provider} gave up with ${event.error.code}; trying ${event.nextProvider}`,
    ),
  );
  dispatcher.on('breaker-open', (event) =>
    line(
      'breaker-open',
      { provider: event.provider },
      `${paint(io, 'red', 'breaker')}    ${event.provider} circuit open after ${event.consecutiveFailures} failures`,
    ),
  );
  dispatcher.on('sent', (event) =>
    line(
      'sent',
      {
        provider: event.provider,
        messageId: event.receipt.messageId,
        acceptedAt: event.receipt.acceptedAt.toISOString(),
        attempts: event.attempt,
        elapsedMs: event.elapsedMs,
        unconfirmedAttempts: event.unconfirmedAttempts,
      },
      `${paint(io, 'green', 'sent')}       ${event.provider} accepted it as ${event.receipt.messageId} at ${event.receipt.acceptedAt.toISOString()} (${event.elapsedMs} ms, ${event.attempt} attempt${event.attempt === 1 ? '' : 's'})`,
    ),
  );
  let failedEvent = false;
  dispatcher.on('failed', (event) => {
    failedEvent = true;
    line(
      'failed',
      {
        provider: event.provider,
        code: event.error.code,
        attempts: event.attempt,
        elapsedMs: event.elapsedMs,
      },
      `${paint(io, 'red', 'failed')}     ${event.error.code} after ${event.attempt} attempt${event.attempt === 1 ? '' : 's'} (${event.elapsedMs} ms): ${event.error.message}`,
    );
  });

  try {
    await dispatcher.send(message, { signal: io.signal });
    return EXIT.OK;
  } catch (error) {
    if (!isOtpError(error)) throw error;
    // Refusals before queueing (QUEUE_FULL, CLOSED, a bad startWith) emit no event: say them here.
    if (!failedEvent) fail(error.code, error.message);
    return exitForError(error.code);
  } finally {
    await dispatcher.close();
  }
}
