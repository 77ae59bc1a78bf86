import { describe, expect, it } from 'vitest';
import { createTelnyxEmulator } from './testing.js';

const KEY = 'KEY-telnyx-emulator-0001';
const emulator = createTelnyxEmulator({ apiKey: KEY, baseUrl: 'https://telnyx.test/' });
const post = (body: unknown, headers: Record<string, string> = {}, path = '/v2/messages') =>
  emulator.handle(
    new Request(`https://telnyx.test${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
const answer = async (response: Response) => ({ status: response.status, body: await response.json() });
const code = async (response: Response) => (await response.json()).errors[0].code;

describe('the Telnyx emulator', () => {
  it('accepts a good send with a fresh message id, and records it redacted', async () => {
    const first = await answer(
      await post({ from: '+15005550006', to: '+14155550123', text: 'Your code is 1234' }),
    );
    const second = await answer(await post({ messaging_profile_id: 'p', to: '+14155550123', text: 'x' }));
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({
      record_type: 'message',
      to: [{ phone_number: '+14155550123', status: 'queued' }],
    });
    expect(first.body.data.id).not.toBe(second.body.data.id);
    expect(emulator.accepted('+14155550123')).toBe(2);
    expect(emulator.requests[0]!.headers.authorization).toBe('[redacted]');
    emulator.reset();
  });

  it("answers Telnyx's errors for a wrong key, path, media type and body", async () => {
    expect((await post({}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(await code(await post({}, { authorization: 'Bearer wrong' }))).toBe('10009');
    expect(await code(await post({}, {}, '/v2/other'))).toBe('10005');
    expect(await code(await post('to=%2B1', { 'content-type': 'application/x-www-form-urlencoded' }))).toBe(
      '10014',
    );
    expect(await code(await post({ from: '+15005550006', text: 'x' }))).toBe('10004');
    expect(await code(await post({ from: '+15005550006', to: '4155550123', text: 'x' }))).toBe('10016');
    expect(await code(await post({ from: '+15005550006', to: '+14155550123' }))).toBe('10004');
    expect(await code(await post({ to: '+14155550123', text: 'x' }))).toBe('10004');
    expect(emulator.accepted()).toBe(0);
    emulator.reset();
  });

  it('answers 40300 (409) for an opted-out number, and its own faults', async () => {
    const optedOut = createTelnyxEmulator({
      apiKey: KEY,
      baseUrl: 'https://telnyx.test',
      optedOut: ['+14155550999'],
    });
    const stop = await optedOut.handle(
      new Request('https://telnyx.test/v2/messages', {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: '+15005550006', to: '+14155550999', text: 'x' }),
      }),
    );
    expect(stop.status).toBe(409);
    expect(await code(stop)).toBe('40300');
    const good = { from: '+15005550006', to: '+14155550123', text: 'x' };
    emulator.failNext({ kind: 'rate-limit', retryAfter: 3 });
    const limited = await post(good);
    expect([limited.status, limited.headers.get('retry-after'), await code(limited)]).toEqual([
      429,
      '3',
      '10011',
    ]);
    emulator.failNext({ kind: 'unavailable', status: 500 });
    const down = await post(good);
    expect([down.status, await code(down)]).toEqual([500, '10007']);
    emulator.failNext({ kind: 'error', code: '40305', status: 403 });
    const config = await post(good);
    expect([config.status, await code(config)]).toEqual([403, '40305']);
    emulator.reset();
  });
});

describe("the emulator's deliver()", () => {
  it('posts the signed webhook to the message webhook_url, over a real socket', async () => {
    const { createServer } = await import('node:http');
    const { verifyTelnyxSignature } = await import('./telnyx-signature.js');
    const { parseTelnyxDeliveryReport } = await import('./telnyx-delivery-report.js');
    const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const app = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ body, headers: request.headers });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const { port } = app.address() as { port: number };
    const webhookUrl = `http://127.0.0.1:${port}/telnyx`;
    const sent = await post({ from: '+15005550006', to: '+14155550123', text: 'x', webhook_url: webhookUrl });
    const { id } = (await sent.json()).data;
    expect(await emulator.deliver(id, 'delivery_failed', { errorCode: '40008' })).toEqual({ status: 204 });
    app.close();
    expect(received).toHaveLength(1);
    const [{ body, headers }] = received as [(typeof received)[0]];
    expect(verifyTelnyxSignature({ publicKey: emulator.publicKey, body, headers })).toBe(true);
    expect(parseTelnyxDeliveryReport(body)).toMatchObject({
      messageId: id,
      to: '+14155550123',
      status: 'undelivered',
      errorCode: '40008',
      eventType: 'message.finalized',
    });
    await expect(emulator.deliver('not-sent', 'delivered')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    emulator.reset();
    await expect(emulator.deliver(id, 'delivered')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
