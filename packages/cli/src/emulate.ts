import { serveFetchHandler } from '@otpkit/core/testing';
import { integerFlag, parseCommandArgs, UsageError } from './args.js';
import { type CliIo, paint } from './cli-io.js';
import { EXIT } from './exit-codes.js';
import {
  EMULATED_VENDORS,
  type EmulatedVendor,
  type EmulatorFaultSpec,
  FAULT_SYNTAX,
  parseFault,
} from './faults.js';
import { isSecretName, maskSecret, scrub, secretsIn } from './mask.js';

export const EMULATE_HELP = `Usage: otpkit emulate kaleyra|twilio|vonage [--port 4010] [--host 127.0.0.1] [--fail FAULT ...]

Serves the vendor's emulator (the same one @otpkit/provider-<vendor>/testing gives tests) as a local
HTTP server, so a staging app, a mobile team or a test in another language can point its base URL at
it. It prints each request it gets (credentials masked; the message text shown, since this is where a
tester reads the code) and answers as the vendor would, or with the scripted faults.

The credentials it accepts are the vendor's variables when set (KALEYRA_SID, KALEYRA_API_KEY;
TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET; VONAGE_API_KEY,
VONAGE_API_SECRET), else the emulator's public test defaults, printed at start.

Options:
  --port PORT         port to listen on (default 4010; 0 for any free port)
  --host HOST         address to listen on (default 127.0.0.1)
  ${FAULT_SYNTAX.replaceAll('\n', '\n  ')}
  -h, --help          this text

Stops on Ctrl-C. Exit status: 0 stopped, 1 could not listen, 2 wrong command line.`;

type Credentials = Record<string, { variable: string; value: string; fromEnv: boolean }>;

interface Served {
  handle(request: Request): Promise<Response>;
  failNext(fault: never, times?: number): unknown;
  requests: readonly { method: string; path: string; form: Record<string, string>; authorized: boolean }[];
}

/** The emulator's credentials: the vendor's variables when set, else its defaults. */
function credentialsOf(vendor: EmulatedVendor, env: CliIo['env']): Credentials {
  const table: Record<EmulatedVendor, [string, string, string][]> = {
    kaleyra: [
      ['sid', 'KALEYRA_SID', 'HXTEST00000IN'],
      ['apiKey', 'KALEYRA_API_KEY', 'test-api-key'],
    ],
    twilio: [
      ['accountSid', 'TWILIO_ACCOUNT_SID', `AC${'0'.repeat(32)}`],
      ['authToken', 'TWILIO_AUTH_TOKEN', 'test-auth-token'],
      ['apiKeySid', 'TWILIO_API_KEY_SID', ''],
      ['apiKeySecret', 'TWILIO_API_KEY_SECRET', ''],
    ],
    vonage: [
      ['apiKey', 'VONAGE_API_KEY', 'test-api-key'],
      ['apiSecret', 'VONAGE_API_SECRET', 'test-api-secret'],
    ],
  };
  const credentials: Credentials = {};
  for (const [option, variable, fallback] of table[vendor]) {
    const set = env[variable]?.trim();
    if (set) credentials[option] = { variable, value: set, fromEnv: true };
    else if (fallback) credentials[option] = { variable, value: fallback, fromEnv: false };
  }
  return credentials;
}

async function createEmulator(vendor: EmulatedVendor, credentials: Credentials): Promise<Served> {
  const options = Object.fromEntries(
    Object.entries(credentials).map(([option, { value }]) => [option, value]),
  );
  switch (vendor) {
    case 'kaleyra':
      return (await import('@otpkit/provider-kaleyra/testing')).createKaleyraEmulator(
        options,
      ) as unknown as Served;
    case 'twilio':
      return (await import('@otpkit/provider-twilio/testing')).createTwilioEmulator(
        options,
      ) as unknown as Served;
    case 'vonage':
      return (await import('@otpkit/provider-vonage/testing')).createVonageEmulator(
        options,
      ) as unknown as Served;
  }
}

export async function emulate(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { port: { type: 'string' }, host: { type: 'string' }, fail: { type: 'string', multiple: true } },
    1,
  );
  if (values.help) {
    io.out(EMULATE_HELP);
    return EXIT.OK;
  }
  const vendor = positionals[0];
  if (vendor === undefined) throw new UsageError(`expected a vendor: ${EMULATED_VENDORS.join(', ')}`);
  if (!(EMULATED_VENDORS as readonly string[]).includes(vendor)) {
    throw new UsageError(`unknown vendor "${vendor}" (emulated: ${EMULATED_VENDORS.join(', ')})`);
  }
  const port = integerFlag('port', values.port, 4010, 0, 65_535);
  const host = values.host ?? '127.0.0.1';
  const faults = (values.fail ?? []).map((text) => parseFault(text, vendor as EmulatedVendor));

  const credentials = credentialsOf(vendor as EmulatedVendor, io.env);
  const emulator = await createEmulator(vendor as EmulatedVendor, credentials);
  for (const { fault, times } of faults) emulator.failNext(fault as EmulatorFaultSpec as never, times);
  const secrets = [
    ...secretsIn(io.env),
    ...Object.values(credentials)
      .filter((c) => c.fromEnv)
      .map((c) => c.value),
  ];
  const clean = (text: string) => scrub(text, secrets);

  let server: Awaited<ReturnType<typeof serveFetchHandler>>;
  try {
    server = await serveFetchHandler(
      async (request) => {
        const started = performance.now();
        const response = await emulator.handle(request);
        const seen = emulator.requests.at(-1);
        const ms = Math.round(performance.now() - started);
        const status = response.type === 'error' ? 'reset' : String(response.status);
        const painted =
          response.type === 'error' || response.status >= 400
            ? paint(io, 'red', status)
            : paint(io, 'green', status);
        const form = Object.entries(seen?.form ?? {})
          .map(
            ([key, value]) =>
              `${key}=${JSON.stringify(isSecretName(key) && value !== '[redacted]' ? maskSecret(value) : value)}`,
          )
          .join(' ');
        io.out(
          clean(
            `${new Date().toISOString()}  ${seen?.method ?? request.method} ${seen?.path ?? new URL(request.url).pathname}  → ${painted}  ${ms} ms  ${seen?.authorized ? 'authorized' : paint(io, 'yellow', 'unauthorized')}  ${form}`,
          ),
        );
        return response;
      },
      { host, port },
    );
  } catch (error) {
    io.err(
      `otpkit emulate: could not listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT.FAILED;
  }

  const upper = vendor.toUpperCase();
  io.out(`otpkit emulate: ${vendor} emulator listening on ${server.url}`);
  io.out('Point the app at it:');
  io.out(`  OTPKIT_PROVIDER=${vendor}`);
  io.out(`  ${upper}_BASE_URL=${server.url}`);
  for (const { variable, value, fromEnv } of Object.values(credentials)) {
    const shown = isSecretName(variable) ? (fromEnv ? maskSecret(value) : value) : value;
    io.out(
      `  ${variable}=${shown}${paint(io, 'dim', fromEnv ? '  (from your environment)' : '  (the emulator default)')}`,
    );
  }
  if (faults.length > 0) {
    io.out(
      `Scripted faults, in order: ${faults.map(({ fault, times }) => `${describeFault(fault)}${times > 1 ? ` x${times}` : ''}`).join(', ')}`,
    );
  }
  io.out('Ctrl-C stops it.');

  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  io.out('otpkit emulate: stopped');
  return EXIT.OK;
}

function describeFault(fault: EmulatorFaultSpec): string {
  switch (fault.kind) {
    case 'unavailable':
      return String(fault.status);
    case 'rate-limit':
      return fault.retryAfter === undefined ? '429' : `429 (Retry-After ${fault.retryAfter} s)`;
    case 'reply':
      return String(fault.status);
    case 'error':
      return `error ${fault.code}`;
    case 'status':
      return `status ${fault.status}`;
    case 'delay':
      return Number.isFinite(fault.ms) ? `delay ${fault.ms} ms` : 'timeout';
    default:
      return fault.kind;
  }
}
