import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMsg91DeliveryReport } from './msg91-delivery-report.js';
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

describe("deliver(): MSG91's webhook over a real socket", () => {
  it('posts the legacy form (data holding JSON), or v3 JSON, to the panel webhook, token kept; both parse', async () => {
    const seen: { request: IncomingMessage; body: string }[] = [];
    const app = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      seen.push({ request, body });
      response.writeHead(200).end();
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}/msg91/dlr?token=s3cret`;
    try {
      for (const webhookFormat of ['form', 'json'] as const) {
        const hooked = createMsg91Emulator({ authKey, webhookUrl, webhookFormat });
        const api = await hooked.listen();
        const provider = createMsg91Provider({
          authKey,
          templateId: 'tpl_1',
          sender: 'OTPKIT',
          baseUrl: api.url,
        });
        const { messageId } = await provider.send({ to: '+919812345678', body: 'Code 482913' }, context());
        expect(await hooked.deliver(messageId, '16', { errorCode: 'Rejected by operator' })).toEqual({
          status: 200,
        });
        const { request, body } = seen.at(-1)!;
        expect(request.url).toBe('/msg91/dlr?token=s3cret');
        const payload = webhookFormat === 'json' ? JSON.parse(body) : body;
        expect(request.headers['content-type']).toContain(
          webhookFormat === 'json' ? 'application/json' : 'urlencoded',
        );
        expect(parseMsg91DeliveryReport(payload)).toMatchObject({
          messageId,
          to: '+919812345678',
          status: 'undelivered',
          providerStatus: '16',
          errorCode: 'Rejected by operator',
        });
        await api.close();
      }
      await expect(emulator.deliver('0'.repeat(24), '1')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
