import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMsg91Emulator, type Msg91EmulatorServer } from './msg91-emulator.js';
import { createMsg91Provider } from './msg91-provider.js';

const authKey = 'msg91-emulator-secret-key-0001';
const emulator = createMsg91Emulator({ authKey });
let server: Msg91EmulatorServer;
const context = () => ({ signal: new AbortController().signal, attempt: 1 });

beforeAll(async () => {
  server = await emulator.listen();
});
afterAll(() => server.close());

const post = (body: unknown, key = authKey, path = '/api/v5/flow') =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authkey: key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the emulator on a real socket', () => {
  it('answers a send with a fresh 24-hex request id and counts the recipient', async () => {
    emulator.reset();
    const provider = createMsg91Provider({ authKey, templateId: 'tpl_1', baseUrl: server.url });
    const first = await provider.send({ to: '+919812345678', body: 'Code 482913' }, context());
    const second = await provider.send({ to: '+919812345678', body: 'Code 118822' }, context());
    expect(first.messageId).toMatch(/^[0-9a-f]{24}$/);
    expect(second.messageId).not.toBe(first.messageId);
    expect(emulator.accepted('+919812345678')).toBe(2);
    expect(emulator.accepted('919812345678')).toBe(2);
    expect(emulator.requests[0]?.headers.authkey).toBe('[redacted]');
  });

  it('refuses a wrong auth key with HTTP 401, a missing template or a bad number inside HTTP 200', async () => {
    expect(
      (await post({ template_id: 't', recipients: [{ mobiles: '919812345678' }] }, 'wrong')).status,
    ).toBe(401);
    const noTemplate = await post({ recipients: [{ mobiles: '919812345678' }] });
    expect([noTemplate.status, await noTemplate.json()]).toEqual([
      200,
      { message: 'Template ID Missing or Invalid Template', type: 'error' },
    ]);
    const badNumber = await post({ template_id: 't', recipients: [{ mobiles: '+91 98' }] });
    expect(await badNumber.json()).toEqual({
      message: 'Mobile number is invalid',
      type: 'error',
      code: '202',
    });
    expect((await post({ template_id: 't', recipients: [] })).status).toBe(200);
    expect((await post({}, authKey, '/api/v5/other')).status).toBe(404);
  });

  it('carries out its own faults, then answers normally', async () => {
    emulator
      .failNext({ kind: 'error', message: 'Insufficient balance', code: '301' })
      .failNext({ kind: 'rate-limit', retryAfter: 3 });
    const body = { template_id: 't', recipients: [{ mobiles: '919812345678', otp: '1234' }] };
    expect(await (await post(body)).json()).toEqual({
      message: 'Insufficient balance',
      type: 'error',
      code: '301',
    });
    const limited = await post(body);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await (await post(body)).json()).type).toBe('success');
  });
});
