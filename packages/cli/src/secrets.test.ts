import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli, startCli } from './__helpers__/run-cli.js';

// Distinctive values: no 3-character run of any of them occurs in ordinary output.
const SECRETS = {
  KALEYRA_API_KEY: 'QXZJ-KWPV-MRTB-YHNL',
  TWILIO_AUTH_TOKEN: 'WQXR-JZKV-PLMB-TNHY',
  TWILIO_API_KEY_SECRET: 'VZQJ-XKRW-BPLM-HYTN',
  VONAGE_API_KEY: 'JXWQ-ZVKR-MPBL-NHTY',
  VONAGE_API_SECRET: 'KZXQ-WJRV-LBMP-YTNH',
  OTPKIT_VERIFY_SECRET: 'ZJQX-VWKR-BMLP-HNTY-ZJQX-VWKR-BMLP-HNTY',
};

const kaleyra = createKaleyraEmulator({ apiKey: SECRETS.KALEYRA_API_KEY });
let server: Awaited<ReturnType<typeof kaleyra.listen>>;
let env: Record<string, string>;
beforeAll(async () => {
  server = await kaleyra.listen();
  env = {
    ...SECRETS,
    OTPKIT_PROVIDER: 'kaleyra',
    OTPKIT_FALLBACK: 'twilio,vonage',
    KALEYRA_SID: 'HXTEST00000IN',
    KALEYRA_BASE_URL: server.url,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_API_KEY_SID: `SK${'1'.repeat(32)}`,
    TWILIO_FROM: '+15005550006',
    TWILIO_BASE_URL: 'http://127.0.0.1:9',
    VONAGE_FROM: 'otpkit',
    VONAGE_BASE_URL: 'http://127.0.0.1:9',
    OTPKIT_RETRIES: '0',
  };
});
afterAll(() => server.close());

/** Fails when any secret, or any 3 characters of one but its last 2, shows in the output. */
function expectNoSecret(run: CliRun, what: string): void {
  const output = run.stdout + run.stderr;
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (let start = 0; start + 3 <= secret.length; start++) {
      const piece = secret.slice(start, start + 3);
      if (piece.includes('-')) continue;
      expect(output.includes(piece), `${what}: ${name} leaked "${piece}"`).toBe(false);
    }
  }
}

describe('no command prints a secret', () => {
  it.each([
    [['--help']],
    [['doctor', '--help']],
    [['send', '--help']],
    [['emulate', '--help']],
    [['verify', '--help']],
    [['doctor']],
    [['doctor', '--json']],
    [['send', '--to', '+14155550123']],
    [['send', '--to', '+14155550123', '--json']],
    [['send', '--to', 'not-a-number']],
    [['verify', 'start', '--to', '+14155550123']],
    [['verify', 'check', '--to', '+14155550123', '--code', '123456', '--store', 'redis://127.0.0.1:1']],
    [['doctor', '--base-url', 'http://127.0.0.1:9']],
  ])('otpkit %j', async (args) => {
    const run = await runCli(args, env);
    expectNoSecret(run, args.join(' '));
  });

  it('otpkit emulate, with requests carrying the credentials', async () => {
    for (const vendor of ['kaleyra', 'twilio', 'vonage']) {
      const cli = startCli(['emulate', vendor, '--port', '0'], env);
      const url = await cli.url;
      if (vendor === 'vonage') {
        await fetch(`${url}/sms/json`, {
          method: 'POST',
          body: new URLSearchParams({
            api_key: SECRETS.VONAGE_API_KEY,
            api_secret: SECRETS.VONAGE_API_SECRET,
            to: '447700900000',
            from: 'x',
            text: 'hi',
          }),
        });
      } else {
        await fetch(`${url}/v1/HXTEST00000IN/messages`, {
          method: 'POST',
          headers: {
            'api-key': SECRETS.KALEYRA_API_KEY,
            authorization: `Bearer ${SECRETS.TWILIO_AUTH_TOKEN}`,
          },
          body: new URLSearchParams({ to: '+14155550123', body: 'x', type: 'OTP' }),
        });
      }
      await cli.waitFor(/→ \d{3}/);
      expectNoSecret(await cli.stop(), `emulate ${vendor}`);
    }
  });
});
