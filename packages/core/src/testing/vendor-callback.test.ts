import { describe, expect, it } from 'vitest';
import { isOtpError } from '../errors.js';
import { createVendorEmulator, serveFetchHandler } from '../testing.js';
import { basicCredentials } from './basic-auth.js';
import { smsParts } from './sms-parts.js';
import { fieldCallback } from './vendor-callback.js';

/** msw's `http.all`, as far as the builder uses it. */
const http = {
  all: (path: string, resolver: (info: { request: Request }) => Promise<Response>) => ({ path, resolver }),
};

/** An app that records every callback it gets and answers 204. */
async function app() {
  const seen: { method: string; url: string; type: string | null; sig: string | null; body: string }[] = [];
  const server = await serveFetchHandler(async (request) => {
    seen.push({
      method: request.method,
      url: request.url,
      type: request.headers.get('content-type'),
      sig: request.headers.get('x-sig'),
      body: await request.text(),
    });
    return new Response(null, { status: 204 });
  });
  return { seen, server };
}

function emulator() {
  return createVendorEmulator<{ kind: 'network' }, never, unknown, { to: string; callbackUrl?: string }>({
    http,
    provider: 'acme',
    baseUrl: 'https://api.acme.test/',
    routes: ['/v1/*'],
    authorize: () => true,
    answer({ form, remember }) {
      remember(`m-${form.to}`, { to: form.to!, callbackUrl: form.callback });
      return Response.json({ id: `m-${form.to}` });
    },
    callback: ({ id, callbackUrl, to }, status, { errorCode }) =>
      fieldCallback(
        callbackUrl,
        { id, to, status, ...(errorCode ? { code: errorCode } : {}) },
        {
          headers: { 'x-sig': `signed:${id}` },
        },
      ),
  });
}

const send = (vendor: ReturnType<typeof emulator>, fields: Record<string, string>) =>
  vendor.handle(
    new Request('https://api.acme.test/v1/messages', { method: 'POST', body: new URLSearchParams(fields) }),
  );

describe('createVendorEmulator with a callback: deliver()', () => {
  it("sends the vendor's callback for a remembered message to its callback URL over a real socket", async () => {
    const { seen, server } = await app();
    try {
      const vendor = emulator();
      await send(vendor, { to: '+14155550123', callback: `${server.url}/hook?token=t-1` });
      expect(await vendor.deliver('m-+14155550123', 'undelivered', { errorCode: 'E1' })).toEqual({
        status: 204,
      });
      expect(seen).toEqual([
        {
          method: 'POST',
          url: `${server.url}/hook?token=t-1`,
          type: 'application/x-www-form-urlencoded',
          sig: 'signed:m-+14155550123',
          body: 'id=m-%2B14155550123&to=%2B14155550123&status=undelivered&code=E1',
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('refuses an id it did not issue, a message without a callback URL, and forgets on reset()', async () => {
    const { server } = await app();
    try {
      const vendor = emulator();
      await send(vendor, { to: '+14155550124' });
      await send(vendor, { to: '+14155550125', callback: `${server.url}/hook` });
      for (const id of ['m-unknown', 'm-+14155550124']) {
        const error = await vendor.deliver(id, 'delivered').catch((caught: unknown) => caught);
        expect(isOtpError(error, 'INVALID_INPUT') && error.provider).toBe('acme');
      }
      vendor.reset();
      await expect(vendor.deliver('m-+14155550125', 'delivered')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    } finally {
      await server.close();
    }
  });

  it('an emulator declared without a callback has no deliver()', () => {
    const plain = createVendorEmulator({
      http,
      baseUrl: 'https://api.acme.test',
      routes: ['/v1/*'],
      authorize: () => true,
      answer: () => Response.json({}),
    });
    expect('deliver' in plain).toBe(false);
  });

  it("gives the handler the path under the base URL's own path", async () => {
    const paths: string[] = [];
    const vendor = createVendorEmulator({
      http,
      baseUrl: 'https://api.acme.test/api/',
      routes: ['/*'],
      authorize: () => true,
      answer: ({ path }) => {
        paths.push(path);
        return Response.json({});
      },
    });
    for (const url of [
      'https://api.acme.test/api/sms/json',
      'https://api.acme.test/api',
      'https://api.acme.test/apix/sms',
    ]) {
      await vendor.handle(new Request(url, { method: 'POST' }));
    }
    expect(paths).toEqual(['/sms/json', '/', '']);
  });
});

describe('fieldCallback', () => {
  it("a GET keeps the URL's own query and adds the fields; a POST sends a form or JSON", () => {
    expect(fieldCallback('https://app.test/h?t=1', { a: '1 2' }, { method: 'GET' })).toEqual({
      method: 'GET',
      url: 'https://app.test/h?t=1&a=1+2',
    });
    expect(
      fieldCallback('https://app.test/h', { a: '1' }, { encoding: 'json', headers: { x: 'y' } }),
    ).toEqual({
      method: 'POST',
      url: 'https://app.test/h',
      headers: { 'content-type': 'application/json', x: 'y' },
      body: '{"a":"1"}',
    });
  });
});

describe('basicCredentials and smsParts', () => {
  it('reads Basic credentials (a password may hold a colon) and nothing else', () => {
    const basic = (value: string) => new Request('https://x.test', { headers: { authorization: value } });
    expect(basicCredentials(basic(`Basic ${btoa('AC1:tok:en')}`))).toEqual({
      user: 'AC1',
      password: 'tok:en',
    });
    expect(basicCredentials(basic(`Bearer ${btoa('AC1:t')}`))).toBeUndefined();
    expect(basicCredentials(basic(`Basic ${btoa('no-colon')}`))).toBeUndefined();
    expect(basicCredentials(new Request('https://x.test'))).toBeUndefined();
  });

  it('counts parts as vendors do: GSM-7 160/153 (extension characters two), UCS-2 70/67', () => {
    expect(smsParts('a'.repeat(160), false)).toBe(1);
    expect(smsParts('a'.repeat(161), false)).toBe(2);
    expect(smsParts('€'.repeat(80), false)).toBe(1);
    expect(smsParts('€'.repeat(81), false)).toBe(2);
    expect(smsParts('a'.repeat(70), true)).toBe(1);
    expect(smsParts('a'.repeat(71), true)).toBe(2);
  });
});
