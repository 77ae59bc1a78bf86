import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlivoDeliveryReport } from './plivo-delivery-report.js';
import { createPlivoEmulator, type PlivoEmulatorServer } from './plivo-emulator.js';
import { createPlivoProvider } from './plivo-provider.js';
import { verifyPlivoSignature } from './plivo-signature.js';

const credentials = { authId: 'MAEMULATOR0000000001', authToken: 'Plivo-emulator-secret-token-0001' };
const emulator = createPlivoEmulator(credentials);
let server: PlivoEmulatorServer;
const context = () => ({ signal: new AbortController().signal, attempt: 1 });
const basic = (id: string, token: string) => `Basic ${Buffer.from(`${id}:${token}`).toString('base64')}`;

beforeAll(async () => {
  server = await emulator.listen();
});
afterAll(() => server.close());

const post = (body: unknown, { id = credentials.authId, token = credentials.authToken } = {}) =>
  fetch(`${server.url}/v1/Account/${id}/Message/`, {
    method: 'POST',
    headers: { authorization: basic(id, token), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the emulator on a real socket', () => {
  it('answers a send with HTTP 202 and a fresh message_uuid, and counts the recipient', async () => {
    emulator.reset();
    const provider = createPlivoProvider({ ...credentials, src: '+14155550100', baseUrl: server.url });
    const first = await provider.send({ to: '+14155550123', body: 'Code 482913' }, context());
    const second = await provider.send({ to: '+14155550123', body: 'Code 118822' }, context());
    expect(first.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.messageId).not.toBe(first.messageId);
    expect(emulator.accepted('+14155550123')).toBe(2);
    expect(emulator.requests[0]?.headers.authorization).toBe('[redacted]');
  });

  it("refuses wrong credentials with 401, and what Plivo's SDK would refuse with 400", async () => {
    const good = { src: '+14155550100', dst: '+14155550123', text: 'hi' };
    expect((await post(good, { token: 'wrong' })).status).toBe(401);
    expect((await post(good, { id: 'MAOTHER0000000000001', token: 'x' })).status).toBe(401);
    const both = await post({ ...good, powerpack_uuid: 'c5a5d3a8-52a4-4f5e-9d43-5d6f1e0c1a2b' });
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ error: expect.stringContaining('src or powerpack uuid') });
    expect((await post({ ...good, dst: 'nope' })).status).toBe(400);
    expect((await post({ ...good, text: '' })).status).toBe(400);
    expect((await post({ ...good, url: 'ftp://x' })).status).toBe(400);
    expect((await post(good)).status).toBe(202);
  });

  it('carries out its own faults, then answers normally', async () => {
    emulator.failNext({ kind: 'geo-permission' }).failNext({ kind: 'rate-limit', retryAfter: 3 });
    const good = { src: '+14155550100', dst: '+14155550123', text: 'hi' };
    expect((await post(good)).status).toBe(403);
    const limited = await post(good);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await post(good)).status).toBe(202);
  });
});

describe('deliver(): the status callback over a real socket', () => {
  it('posts the signed form Plivo sends to the message url, and it verifies and parses', async () => {
    const seen: { request: IncomingMessage; body: string }[] = [];
    const app = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      seen.push({ request, body });
      response.writeHead(200).end();
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const address = app.address() as { port: number };
    const callbackUrl = `http://127.0.0.1:${address.port}/plivo/status?tenant=7`;
    try {
      const provider = createPlivoProvider({
        ...credentials,
        src: '+14155550100',
        callbackUrl,
        baseUrl: server.url,
      });
      const { messageId } = await provider.send({ to: '+14155550123', body: 'Code 482913' }, context());
      expect(await emulator.deliver(messageId, 'undelivered')).toEqual({ status: 200 });
      const [{ request, body }] = seen as [(typeof seen)[0]];
      expect(request.method).toBe('POST');
      const params = new URLSearchParams(body);
      const signed = { method: 'POST', url: callbackUrl, params, headers: request.headers };
      expect(verifyPlivoSignature(signed, { authToken: credentials.authToken })).toBe(true);
      expect(verifyPlivoSignature(signed, { authToken: 'another-token' })).toBe(false);
      expect(parsePlivoDeliveryReport(params)).toMatchObject({
        messageId,
        to: '+14155550123',
        status: 'undelivered',
        errorCode: '50',
      });
      // A message sent with method GET is called back with the fields in the query.
      const sent = await (
        await post({ src: 'OTPKIT', dst: '+14155550123', text: 'hi', url: callbackUrl, method: 'GET' })
      ).json();
      await emulator.deliver(sent.message_uuid[0], 'delivered');
      const get = seen[1]!.request;
      const url = `http://127.0.0.1:${address.port}${get.url}`;
      expect(get.method).toBe('GET');
      expect(
        verifyPlivoSignature(
          { method: 'GET', url, headers: get.headers },
          { authToken: credentials.authToken },
        ),
      ).toBe(true);
      expect(parsePlivoDeliveryReport(new URL(url).searchParams)).toMatchObject({ status: 'delivered' });
      await expect(emulator.deliver('no-such-uuid', 'delivered')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
