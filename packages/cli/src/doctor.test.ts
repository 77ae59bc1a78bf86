import { createServer } from 'node:net';
import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './__helpers__/run-cli.js';

const emulator = createKaleyraEmulator();
let server: Awaited<ReturnType<typeof emulator.listen>>;
beforeAll(async () => {
  server = await emulator.listen();
});
afterAll(() => server.close());

const good = () => ({
  OTPKIT_PROVIDER: 'kaleyra',
  KALEYRA_SID: 'HXTEST00000IN',
  KALEYRA_API_KEY: 'test-api-key-0123456789',
  KALEYRA_BASE_URL: server.url,
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('otpkit doctor', () => {
  it('with a good config against the emulator on loopback: the config with the key masked, DNS and TCP timed, exit 0', async () => {
    const run = await runCli(['doctor'], good());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/providers\.kaleyra\.apiKey\s+\*\*\*\*89\s+KALEYRA_API_KEY/);
    expect(run.stdout).toMatch(/timeoutMs\s+10000\s+\(default\)/);
    expect(run.stdout).toContain(`kaleyra  ${server.url}`);
    expect(run.stdout).toMatch(/dns {2}ok .* ms {2}127\.0\.0\.1 \(an address/);
    expect(run.stdout).toMatch(/tcp {2}ok +\d+ ms {2}127\.0\.0\.1:\d+/);
    expect(run.stdout).toContain('tls  none (http)');
    expect(run.stdout).toContain('No problems found.');
  });

  it('names every problem of a broken environment with its path and variable, exit 1', async () => {
    const run = await runCli(['doctor', '--no-network'], {
      OTPKIT_PROVIDER: 'kaleyra',
      OTPKIT_FALLBACK: 'acme',
      OTPKIT_TIMEOUT_MS: 'soon',
      KALEYRA_API_KEY: 'has spaces in it',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('OTPKIT_TIMEOUT_MS: expected a whole number');
    expect(run.stdout).toMatch(/providers\.kaleyra\.sid \(KALEYRA_SID\): /);
    expect(run.stdout).toMatch(/providers\.kaleyra\.apiKey \(KALEYRA_API_KEY\): /);
    expect(run.stdout).toMatch(/fallback\.0: unknown provider "acme".*@otpkit\/provider-acme/);
    expect(run.stdout).not.toContain('has spaces');
  });

  it('without OTPKIT_PROVIDER says which variable to set', async () => {
    const run = await runCli(['doctor'], {});
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /OTPKIT_PROVIDER: expected the id of a provider \(registered: kaleyra, twilio, vonage, fake\)/,
    );
  });

  it('a host that refuses the connection fails the TCP step, with its time and reason', async () => {
    const port = await closedPort();
    const run = await runCli(['doctor', '--base-url', `kaleyra=http://127.0.0.1:${port}`], good());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/tcp {2}FAIL +\d+ ms {2}.*ECONNREFUSED/);
    expect(run.stdout).toMatch(
      new RegExp(`providers\\.kaleyra: http://127\\.0\\.0\\.1:${port} not reachable \\(tcp: `),
    );
  });

  it('a name that does not resolve fails the DNS step', async () => {
    const run = await runCli(
      ['doctor', '--base-url', 'https://no-such-host.invalid', '--timeout', '3000'],
      good(),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/dns {2}FAIL/);
  });

  it('--json gives one document for scripts', async () => {
    const run = await runCli(['doctor', '--json'], good());
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.variables).toContainEqual({
      name: 'KALEYRA_API_KEY',
      option: 'providers.kaleyra.apiKey',
      value: '****89',
    });
    expect(report.providers[0]).toMatchObject({
      id: 'kaleyra',
      baseUrl: server.url,
      reachability: { ok: true, tcp: { ok: true } },
    });
    expect(report.providers[0].reachability.tls).toBeUndefined();
  });

  it('the fake has nothing to reach; the verifier variables are checked too', async () => {
    const run = await runCli(['doctor'], { OTPKIT_PROVIDER: 'fake', OTPKIT_VERIFY_TTL_MS: 'long' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('skipped: in memory: nothing to reach');
    expect(run.stdout).toContain('OTPKIT_VERIFY_TTL_MS: expected a whole number');
  });

  it('a wrong flag is a usage error, exit 2; --help exits 0', async () => {
    const wrong = await runCli(['doctor', '--jsno'], {});
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/unknown option '--jsno'/i);
    const help = await runCli(['doctor', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: otpkit doctor');
  });
});
