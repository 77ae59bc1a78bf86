import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, until } from './__helpers__/run-cli.js';

const kaleyra = createKaleyraEmulator();
let server: Awaited<ReturnType<typeof kaleyra.listen>>;
let env: Record<string, string>;
beforeAll(async () => {
  server = await kaleyra.listen();
  env = {
    OTPKIT_PROVIDER: 'kaleyra',
    KALEYRA_SID: 'HXTEST00000IN',
    KALEYRA_API_KEY: 'test-api-key',
    KALEYRA_BASE_URL: server.url,
  };
});
afterAll(() => server.close());

describe('otpkit verify', () => {
  it('start with the memory store sends a code, then checks what is typed in the same process', async () => {
    const to = '+14155550142';
    const run = await runCli(['verify', 'start', '--to', to], env, {
      input: (child, stdout) => {
        void (async () => {
          await until(stdout, /Type the code/);
          const code = /\d{6}/.exec(kaleyra.requests.at(-1)!.form.body!)![0];
          const wrong = code === '000000' ? '111111' : '000000';
          child.stdin!.write(`${wrong}\n`);
          await until(stdout, /wrong code/);
          child.stdin!.write(`${code}\n`);
        })();
      },
    });
    expect(run.stdout).toMatch(
      /started {2}code sent to \+14155550142 via kaleyra \(\S+\); expires \S+Z, resend from \S+Z, send 1/,
    );
    expect(run.stdout).toContain('store: memory (this process only)');
    expect(run.stdout).toMatch(/pending: wrong code, 4 attempts left/);
    expect(run.stdout).toMatch(/approved/);
    expect(run.code).toBe(0);
  });

  it('with the memory store and no code typed, ends not approved', async () => {
    const run = await runCli(['verify', 'start', '--to', '+14155550143'], env);
    expect(run.stdout).toContain('no code given');
    expect(run.code).toBe(1);
  });

  it('check without a shared store explains the per-process memory store; exit 2', async () => {
    const run = await runCli(['verify', 'check', '--to', '+14155550142', '--code', '123456'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('check needs a shared store (--store redis://…)');
  });

  it('--store redis:// without a reachable Redis (or without @otpkit/store-redis) says so; exit 3', async () => {
    const run = await runCli(
      ['verify', 'start', '--to', '+14155550142', '--store', 'redis://127.0.0.1:1/0'],
      { ...env, OTPKIT_VERIFY_SECRET: 'a'.repeat(44) },
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /--store redis:\/\/127\.0\.0\.1:1\/0: (the Redis store is not installed: install it .*npm install @otpkit\/store-redis|cannot connect)/,
    );
    expect(kaleyra.requests.filter((request) => request.form.to === '+14155550142')).toHaveLength(1);
  });

  it('other store URLs and missing actions are usage or config errors', async () => {
    const scheme = await runCli(['verify', 'start', '--to', '+14155550144', '--store', 'memcached://x'], env);
    expect(scheme.code).toBe(3);
    expect(scheme.stderr).toContain('--store: expected a redis:// or rediss:// URL');
    const action = await runCli(['verify', 'finish', '--to', '+14155550144'], env);
    expect(action.code).toBe(2);
    expect(action.stderr).toContain('unknown action "finish" (start, check)');
  });
});
