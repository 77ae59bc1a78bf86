import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { createTwilioEmulator } from '@otpkit/provider-twilio/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './__helpers__/run-cli.js';

const kaleyra = createKaleyraEmulator();
const twilio = createTwilioEmulator();
const servers: { url: string; close(): Promise<void> }[] = [];
let env: Record<string, string>;
beforeAll(async () => {
  const [k, t] = await Promise.all([kaleyra.listen(), twilio.listen()]);
  servers.push(k, t);
  env = {
    OTPKIT_PROVIDER: 'kaleyra',
    KALEYRA_SID: 'HXTEST00000IN',
    KALEYRA_API_KEY: 'test-api-key',
    KALEYRA_BASE_URL: k.url,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'test-auth-token',
    TWILIO_FROM: '+15005550006',
    TWILIO_BASE_URL: t.url,
    OTPKIT_RETRY_MIN_DELAY_MS: '20',
    OTPKIT_RETRY_MAX_DELAY_MS: '40',
  };
});
beforeEach(() => {
  kaleyra.reset();
  twilio.reset();
});
afterAll(() => Promise.all(servers.map((server) => server.close())));

const TO = '+14155550123';

describe('otpkit send', () => {
  it('shows queued, each retry with its delay and sent with the vendor id and time; exit 0', async () => {
    kaleyra.failNext({ kind: 'unavailable', status: 503 }, 2);
    const run = await runCli(['send', '--to', TO], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/queued +to \+14155550123 via kaleyra$/);
    expect(lines[1]).toMatch(
      /retrying +kaleyra attempt 1 failed with PROVIDER_UNAVAILABLE \(HTTP 503\); next in \d+ ms/,
    );
    expect(lines[2]).toMatch(/retrying +kaleyra attempt 2 failed/);
    expect(lines[3]).toMatch(
      /sent +kaleyra accepted it as \S+:1 at \d{4}-\d\d-\d\dT[\d:.]+Z \(\d+ ms, 3 attempts\)/,
    );
    expect(kaleyra.accepted(TO)).toBe(1);
    // The generated code went to the vendor, never to the terminal.
    const code = /\d{6}/.exec(kaleyra.requests.at(-1)!.form.body!)![0];
    expect(run.stdout + run.stderr).not.toContain(code);
  });

  it('fails over to the next vendor and says so', async () => {
    kaleyra.failNext({ kind: 'unavailable', status: 503 }, 10);
    const run = await runCli(['send', '--to', TO, '--text', 'Your code is 112233'], {
      ...env,
      OTPKIT_FALLBACK: 'twilio',
      OTPKIT_RETRIES: '1',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/queued +to \+14155550123 via kaleyra → twilio/);
    expect(run.stdout).toMatch(/failover +kaleyra gave up with PROVIDER_UNAVAILABLE; trying twilio/);
    expect(run.stdout).toMatch(/sent +twilio accepted it as SM[0-9a-f]{32} at /);
    expect(run.stdout).not.toContain('112233');
    expect(twilio.accepted(TO)).toBe(1);
  });

  it('--json prints one object per event', async () => {
    kaleyra.failNext({ kind: 'rate-limit', retryAfter: 0 });
    const run = await runCli(['send', '--to', TO, '--json'], env);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.event)).toEqual(['queued', 'retrying', 'sent']);
    expect(events[1]).toMatchObject({ provider: 'kaleyra', code: 'RATE_LIMITED', attempt: 1 });
    expect(events[2]).toMatchObject({ provider: 'kaleyra', attempts: 2 });
    expect(events[2].messageId).toMatch(/:1$/);
  });

  it.each([
    [
      'the vendors are down',
      { kind: 'unavailable', status: 503 },
      1,
      /failed +PROVIDER_UNAVAILABLE after 2 attempts/,
    ],
    [
      'the credentials are refused',
      { kind: 'reply', status: 401, body: { message: 'no' } },
      3,
      /failed +AUTHENTICATION/,
    ],
    ['the vendor refuses the message', { kind: 'error', code: 'E999', status: 400 }, 4, /failed +REJECTED/],
  ] as const)('exit status by outcome: %s', async (_, fault, status, pattern) => {
    kaleyra.failNext(fault as never, 10);
    const run = await runCli(['send', '--to', TO], { ...env, OTPKIT_RETRIES: '1' });
    expect(run.stdout).toMatch(pattern);
    expect(run.code).toBe(status);
  });

  it('a number that is not E.164 is refused before any request, naming --to; exit 2', async () => {
    const run = await runCli(['send', '--to', '4155550123'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/INVALID_INPUT: --to: /);
    expect(kaleyra.requests).toHaveLength(0);
  });

  it('without --to, or with a broken config, says what is missing', async () => {
    const missing = await runCli(['send'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--to: expected the recipient');
    const broken = await runCli(['send', '--to', TO], { OTPKIT_PROVIDER: 'kaleyra' });
    expect(broken.code).toBe(3);
    expect(broken.stderr).toMatch(/providers\.kaleyra\.sid \(KALEYRA_SID\)/);
    expect(broken.stderr).toContain('Run otpkit doctor');
  });
});
