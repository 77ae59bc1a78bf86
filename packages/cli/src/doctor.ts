import { isOtpError, type OtpIssue } from '@otpkit/core';
import { OTPKIT_VERIFY_ENV, verifierOptionsFromEnv } from '@otpkit/verify';
import { integerFlag, parseCommandArgs, UsageError } from './args.js';
import { type CliIo, paint } from './cli-io.js';
import { baseUrlOf, effectiveSettings, providerOrder, readEnvConfig } from './env-config.js';
import { EXIT } from './exit-codes.js';
import { maskSecret, scrub, secretsIn } from './mask.js';
import { checkReachability, type Reachability } from './reachability.js';

export const DOCTOR_HELP = `Usage: otpkit doctor [--json] [--base-url URL | --base-url ID=URL ...] [--timeout MS]

Reads the environment exactly as configFromEnv does (OTPKIT_PROVIDER, OTPKIT_FALLBACK, OTPKIT_ROUTES,
the OTPKIT_* dispatcher settings, each provider's own variables such as KALEYRA_SID and KALEYRA_API_KEY,
and OTPKIT_VERIFY_* when set), prints the configuration in force with every secret masked, every
problem with its path, and checks that each provider's host can be reached: DNS, TCP, TLS, timed.

Options:
  --json              one JSON document on standard output, for scripts
  --base-url URL      check URL instead of every provider's own host; ID=URL for one provider
                      (default: the provider's baseUrl option, else its vendor's host)
  --timeout MS        time limit of each reachability step (default 5000)
  --no-network        skip the reachability checks
  -h, --help          this text

Exit status: 0 all well, 1 a problem was found, 2 wrong command line.`;

/** Where a provider stands: its host and whether it could be reached. */
interface ProviderReport {
  id: string;
  baseUrl?: string;
  skipped?: string;
  reachability?: Reachability;
}

export async function doctor(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    'base-url': { type: 'string', multiple: true },
    timeout: { type: 'string' },
    'no-network': { type: 'boolean' },
  });
  if (values.help) {
    io.out(DOCTOR_HELP);
    return EXIT.OK;
  }
  const timeoutMs = integerFlag('timeout', values.timeout, 5000, 1, 600_000);
  const overrides = parseBaseUrls(values['base-url'] ?? []);

  const read = await readEnvConfig(io.env);
  const problems: OtpIssue[] = [...read.issues];

  // The verifier's variables, when the app uses @otpkit/verify from the environment too.
  const verifyVariables = Object.keys(OTPKIT_VERIFY_ENV).filter((name) => io.env[name]?.trim());
  if (verifyVariables.length > 0) {
    try {
      verifierOptionsFromEnv(io.env);
    } catch (error) {
      if (!isOtpError(error) || !error.issues) throw error;
      problems.push(...error.issues);
    }
  }

  const providers: ProviderReport[] = [];
  for (const id of providerOrder(read.config, io.env)) {
    const report: ProviderReport = { id };
    const url = baseUrlOf(id, read.config, overrides.get(id) ?? overrides.get('*'));
    if (url === undefined) {
      report.skipped = id === 'fake' ? 'in memory: nothing to reach' : 'no base URL known: pass --base-url';
    } else if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      problems.push({ path: `providers.${id}.baseUrl`, message: 'expected an http(s) URL' });
      report.skipped = 'not an http(s) URL';
    } else {
      report.baseUrl = new URL(url).origin;
      if (values['no-network']) report.skipped = '--no-network';
      else {
        report.reachability = await checkReachability(url, timeoutMs);
        if (!report.reachability.ok) {
          const failed = report.reachability.tls ?? report.reachability.tcp ?? report.reachability.dns;
          const step = report.reachability.tls ? 'tls' : report.reachability.tcp ? 'tcp' : 'dns';
          problems.push({
            path: `providers.${id}`,
            message: `${report.baseUrl} not reachable (${step}: ${failed.detail})`,
          });
        }
      }
    }
    providers.push(report);
  }

  const secrets = secretsIn(io.env);
  const clean = (text: string) => scrub(text, secrets);
  const verifyShown = verifyVariables.map((name) => ({
    name,
    value: /SECRET/.test(name) ? maskSecret(io.env[name]!.trim()) : io.env[name]!.trim(),
  }));
  const ok = problems.length === 0;

  if (values.json) {
    io.out(
      clean(
        JSON.stringify(
          {
            ok,
            variables: read.variables,
            settings: effectiveSettings(read.config),
            verify: verifyShown,
            problems,
            providers,
          },
          null,
          2,
        ),
      ),
    );
    return ok ? EXIT.OK : EXIT.FAILED;
  }

  io.out(paint(io, 'bold', 'Configuration (from the environment, secrets masked)'));
  if (read.variables.length === 0) io.out('  no otpkit variables are set');
  const width = Math.max(0, ...read.variables.map((variable) => variable.option.length));
  for (const variable of read.variables) {
    io.out(
      `  ${variable.option.padEnd(width)}  ${clean(variable.value)}  ${paint(io, 'dim', variable.name)}`,
    );
  }
  io.out(paint(io, 'bold', 'Dispatcher settings'));
  for (const setting of effectiveSettings(read.config)) {
    io.out(
      `  ${setting.option.padEnd(24)}  ${setting.value}${setting.source === 'default' ? paint(io, 'dim', '  (default)') : ''}`,
    );
  }
  if (verifyShown.length > 0) {
    io.out(paint(io, 'bold', 'Verifier'));
    for (const variable of verifyShown) io.out(`  ${variable.name}  ${variable.value}`);
  }
  io.out(paint(io, 'bold', 'Providers'));
  if (providers.length === 0) io.out('  none named (set OTPKIT_PROVIDER)');
  for (const provider of providers) {
    io.out(`  ${provider.id}${provider.baseUrl ? `  ${provider.baseUrl}` : ''}`);
    if (provider.skipped) io.out(`    ${paint(io, 'dim', `skipped: ${provider.skipped}`)}`);
    const reach = provider.reachability;
    if (reach) {
      for (const [name, step] of [
        ['dns', reach.dns],
        ['tcp', reach.tcp],
        ['tls', reach.tls],
      ] as const) {
        if (!step) continue;
        const mark = step.ok ? paint(io, 'green', 'ok  ') : paint(io, 'red', 'FAIL');
        io.out(`    ${name}  ${mark}  ${String(step.ms).padStart(5)} ms  ${clean(step.detail)}`);
      }
      if (reach.ok && !reach.tls && reach.url.startsWith('http:'))
        io.out(`    tls  ${paint(io, 'dim', 'none (http)')}`);
    }
  }
  if (ok) {
    io.out(paint(io, 'green', 'No problems found.'));
    return EXIT.OK;
  }
  io.out(paint(io, 'bold', `Problems (${problems.length})`));
  for (const problem of problems)
    io.out(`  ${paint(io, 'red', '✗')} ${problem.path}: ${clean(problem.message)}`);
  return EXIT.FAILED;
}

function parseBaseUrls(values: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of values) {
    const match = /^([a-z0-9][a-z0-9-]*)=(.+)$/.exec(value);
    const [id, url] = match ? [match[1]!, match[2]!] : ['*', value];
    if (!URL.canParse(url)) throw new UsageError(`--base-url: expected a URL or ID=URL, got "${value}"`);
    map.set(id, url);
  }
  return map;
}
