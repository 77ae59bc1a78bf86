import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './__helpers__/run-cli.js';

const kaleyraForm = (to: string) =>
  new URLSearchParams({ to, body: 'Your code is 424242', type: 'OTP', sender: 'KLRHXA' });

describe('otpkit emulate', () => {
  it('serves Kaleyra on loopback, plays the scripted faults in order, prints each request, stops on Ctrl-C', async () => {
    const cli = startCli([
      'emulate',
      'kaleyra',
      '--port',
      '0',
      '--fail',
      '503',
      '--fail',
      '429:2',
      '--fail',
      'error:E413',
    ]);
    const url = await cli.url;
    expect(cli.output()).toContain('OTPKIT_PROVIDER=kaleyra');
    expect(cli.output()).toContain(`KALEYRA_BASE_URL=${url}`);
    expect(cli.output()).toContain('KALEYRA_API_KEY=test-api-key  (the emulator default)');
    expect(cli.output()).toContain('Scripted faults, in order: 503, 429 (Retry-After 2 s), error E413');
    const post = () =>
      fetch(`${url}/v1/HXTEST00000IN/messages`, {
        method: 'POST',
        headers: { 'api-key': 'test-api-key' },
        body: kaleyraForm('+14155550123'),
      });
    expect((await post()).status).toBe(503);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await (await post()).json()).toMatchObject({ code: 'E413' });
    const ok = await post();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ type: 'OTP', totalCount: 1 });
    await cli.waitFor(/→ 200/);
    expect(cli.output()).toMatch(
      /POST \/v1\/HXTEST00000IN\/messages {2}→ 503 {2}\d+ ms {2}authorized {2}to="\+14155550123"/,
    );
    expect(cli.output()).toMatch(/→ 429 /);
    expect(cli.output()).toContain('body="Your code is 424242"');
    const run = await cli.stop();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('otpkit emulate: stopped');
  });

  it('takes the credentials from the vendor variables, masked, and refuses others', async () => {
    const cli = startCli(['emulate', 'kaleyra', '--port', '0'], {
      KALEYRA_SID: 'HXMINE00000IN',
      KALEYRA_API_KEY: 'mine-QXZJKWPV-key',
    });
    const url = await cli.url;
    expect(cli.output()).toContain('KALEYRA_API_KEY=****ey  (from your environment)');
    const refused = await fetch(`${url}/v1/HXMINE00000IN/messages`, {
      method: 'POST',
      headers: { 'api-key': 'test-api-key' },
      body: kaleyraForm('+14155550123'),
    });
    expect(refused.status).toBe(401);
    await cli.waitFor(/unauthorized/);
    const run = await cli.stop();
    expect(run.stdout).not.toContain('QXZJKWPV');
  });

  it('serves Twilio and Vonage too, with a connection reset as a fault', async () => {
    const twilio = startCli(['emulate', 'twilio', '--port', '0', '--fail', 'network']);
    const twilioUrl = await twilio.url;
    const path = `/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages.json`;
    const request = () =>
      fetch(`${twilioUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`AC${'0'.repeat(32)}:test-auth-token`).toString('base64')}`,
        },
        body: new URLSearchParams({ To: '+14155550123', From: '+15005550006', Body: 'Your code is 1' }),
      });
    await expect(request()).rejects.toThrow();
    expect((await request()).status).toBe(201);
    await twilio.waitFor(/→ 201/);
    expect(twilio.output()).toContain('→ reset');
    await twilio.stop();

    const vonage = startCli(['emulate', 'vonage', '--port', '0', '--fail', 'status:4']);
    const vonageUrl = await vonage.url;
    const send = () =>
      fetch(`${vonageUrl}/sms/json`, {
        method: 'POST',
        body: new URLSearchParams({
          api_key: 'test-api-key',
          api_secret: 'test-api-secret',
          to: '447700900000',
          from: 'otpkit',
          text: 'hi',
        }),
      });
    expect((await (await send()).json()).messages[0].status).toBe('4');
    expect((await (await send()).json()).messages[0].status).toBe('0');
    await vonage.waitFor(/→ 200.*→ 200/s);
    expect(vonage.output()).toContain('api_key="****ey"');
    expect(vonage.output()).toContain('api_secret="[redacted]"');
    await vonage.stop();
  });

  it('wrong vendors, ports and faults are usage errors naming the flag', async () => {
    const vendor = await runCli(['emulate', 'acme']);
    expect(vendor.code).toBe(2);
    expect(vendor.stderr).toContain('unknown vendor "acme" (emulated: kaleyra, twilio, vonage)');
    const port = await runCli(['emulate', 'kaleyra', '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port: expected a whole number from 0 to 65535');
    const fault = await runCli(['emulate', 'kaleyra', '--fail', '302']);
    expect(fault.code).toBe(2);
    expect(fault.stderr).toContain('--fail "302": expected a 4xx or 5xx status');
    const status = await runCli(['emulate', 'kaleyra', '--fail', 'status:4']);
    expect(status.stderr).toContain('status:CODE is a Vonage fault');
  });
});
