import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
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
      // Installed (the workspace links it): the store fails closed; not installed: how to install it.
      /STORE_UNAVAILABLE|--store redis:\/\/127\.0\.0\.1:1\/0: the Redis store is not installed: install it .*npm install @otpkit\/store-redis/,
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

// CI installs redis-server and sets OTPKIT_REQUIRE_REDIS=1, so this cannot be skipped there.
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis && process.env.OTPKIT_REQUIRE_REDIS === '1') throw new Error('redis-server is required');

describe.skipIf(!hasRedis)('otpkit verify with --store redis://', () => {
  it('start in one process, check in another, through a real redis-server', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    try {
      const store = `redis://127.0.0.1:${port}/0`;
      const shared = { ...env, OTPKIT_VERIFY_SECRET: 'b'.repeat(44) };
      const to = '+14155550177';
      let started: Awaited<ReturnType<typeof runCli>> | undefined;
      for (let tries = 0; tries < 50; tries++) {
        started = await runCli(['verify', 'start', '--to', to, '--store', store], shared);
        if (started.code === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100)); // redis-server still starting
      }
      expect(started!.code).toBe(0);
      expect(started!.stdout).toContain(`store: redis://127.0.0.1:${port}/0`);
      const code = /\d{6}/.exec(
        kaleyra.requests.filter((request) => request.form.to === to).at(-1)!.form.body!,
      )![0];
      const wrong = await runCli(
        ['verify', 'check', '--to', to, '--code', code === '000000' ? '111111' : '000000', '--store', store],
        shared,
      );
      expect(wrong.stdout).toMatch(/pending: wrong code/);
      expect(wrong.code).toBe(1);
      const right = await runCli(['verify', 'check', '--to', to, '--code', code, '--store', store], shared);
      expect(right.stdout).toContain('approved');
      expect(right.code).toBe(0);
      const again = await runCli(['verify', 'check', '--to', to, '--code', code, '--store', store], shared);
      expect(again.stdout).toContain('not_found');
    } finally {
      redis.kill();
    }
  });
});
