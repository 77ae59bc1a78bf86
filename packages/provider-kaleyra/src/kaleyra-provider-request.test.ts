import type { OtpMessage } from '@otpkit/core';
import { describe, expect, it, vi } from 'vitest';
import {
  API_KEY,
  BODY,
  capture,
  context,
  ENDPOINT,
  emulator,
  failure,
  fields,
  provider,
  SEED_BODY,
  SEED_CALLBACK,
  SEED_TEMPLATE_ID,
  SID,
  SUCCESS,
  SUCCESS_INDIA,
  TO,
} from './__fixtures__/provider-setup.js';
import { createKaleyraProvider } from './kaleyra-provider.js';

describe('the request: the seed samples, exactly', () => {
  it('sample request: POST /v1/<SID>/messages, api-key, form-encoded to/type/sender/body/callback', async () => {
    const seen = capture();
    await provider({ sender: 'KLRHXAD' }).send(
      { to: TO, body: SEED_BODY, callbackUrl: SEED_CALLBACK },
      context(),
    );
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.kaleyra.io/v1/HXXXXXXX071US/messages');
    expect(request.headers.get('api-key')).toBe('Ac4XXXXX21f');
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded(;|$)/);
    expect(request.headers.get('authorization')).toBeNull();
    expect(fields(request.text)).toEqual([
      ['to', '+14155550123'],
      ['type', 'OTP'],
      ['sender', 'KLRHXAD'],
      ['body', ' Dear Customer, 1234 is your OTP (One Time Password) for the transaction.'],
      ['callback', 'https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c'],
    ]);
    // The exact bytes: `+` and spaces encoded, the body's leading space kept (DLT matches bodies exactly).
    expect(request.text).toBe(
      'to=%2B14155550123&type=OTP&sender=KLRHXAD' +
        '&body=+Dear+Customer%2C+1234+is+your+OTP+%28One+Time+Password%29+for+the+transaction.' +
        '&callback=https%3A%2F%2Fwebhook.site%2F89b43b12-b889-4f66-8ebf-3379b4b3345c',
    );
  });

  it('sample request for Indian customers: the same plus template_id', async () => {
    const seen = capture(ENDPOINT, SUCCESS_INDIA);
    await provider({ sender: 'KLRHXA' }).send(
      { to: TO, body: SEED_BODY, callbackUrl: SEED_CALLBACK, templateId: SEED_TEMPLATE_ID },
      context(),
    );
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(ENDPOINT);
    expect(request.headers.get('api-key')).toBe(API_KEY);
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded(;|$)/);
    expect(fields(request.text)).toEqual([
      ['to', '+14155550123'],
      ['type', 'OTP'],
      ['sender', 'KLRHXA'],
      ['body', ' Dear Customer, 1234 is your OTP (One Time Password) for the transaction.'],
      ['callback', 'https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c'],
      ['template_id', '2xxxxxxxxxxxx'],
    ]);
  });

  it('the emulator sees the same form, with the key redacted', async () => {
    await provider().send({ to: TO, body: BODY }, context());
    expect(emulator.requests).toHaveLength(1);
    const request = emulator.requests[0]!;
    expect(request).toMatchObject({ method: 'POST', path: `/v1/${SID}/messages`, authorized: true });
    expect(request.form).toEqual({ to: TO, type: 'OTP', sender: 'KLRHXA', body: BODY });
    expect(request.headers['api-key']).toBe('[redacted]');
    expect(JSON.stringify(emulator.requests)).not.toContain(API_KEY);
  });

  it('sends no sender, callback or template_id when neither the provider nor the message has one', async () => {
    const seen = capture();
    await createKaleyraProvider({ sid: SID, apiKey: API_KEY }).send({ to: TO, body: BODY }, context());
    expect(fields(seen[0]!.text)).toEqual([
      ['to', TO],
      ['type', 'OTP'],
      ['body', BODY],
    ]);
  });

  it('the reference stays with the app: it is not sent', async () => {
    const seen = capture();
    await provider().send({ to: TO, body: BODY, reference: 'login-42' }, context());
    expect(seen[0]!.text).not.toContain('login-42');
  });
});

describe('the request: defaults and per-message overrides', () => {
  const defaults = {
    sender: 'KLRHXA',
    templateId: '1107160000000000001',
    callbackUrl: 'https://app.example.com/kaleyra/dlr',
  };

  it('provider defaults fill in sender, template_id and callback', async () => {
    const seen = capture();
    await provider(defaults).send({ to: TO, body: BODY }, context());
    expect(fields(seen[0]!.text)).toEqual([
      ['to', TO],
      ['type', 'OTP'],
      ['sender', 'KLRHXA'],
      ['body', BODY],
      ['callback', 'https://app.example.com/kaleyra/dlr'],
      ['template_id', '1107160000000000001'],
    ]);
  });

  it("the message's own sender, templateId and callbackUrl win", async () => {
    const seen = capture();
    await provider(defaults).send(
      {
        to: TO,
        body: BODY,
        sender: 'OTPKIT',
        templateId: '1107169999999999999',
        callbackUrl: 'https://other.example.com/dlr?token=abc',
      },
      context(),
    );
    expect(fields(seen[0]!.text)).toEqual([
      ['to', TO],
      ['type', 'OTP'],
      ['sender', 'OTPKIT'],
      ['body', BODY],
      ['callback', 'https://other.example.com/dlr?token=abc'],
      ['template_id', '1107169999999999999'],
    ]);
  });

  it('each override works alone', async () => {
    const seen = capture();
    const kaleyra = provider(defaults);
    await kaleyra.send({ to: TO, body: BODY, sender: 'ABCDEF' }, context());
    await kaleyra.send({ to: TO, body: BODY, templateId: 'T-2' }, context());
    await kaleyra.send({ to: TO, body: BODY, callbackUrl: 'https://b.example.com/' }, context());
    const sent = seen.map((request) => Object.fromEntries(fields(request.text)));
    expect(sent.map((form) => [form.sender, form.template_id, form.callback])).toEqual([
      ['ABCDEF', '1107160000000000001', 'https://app.example.com/kaleyra/dlr'],
      ['KLRHXA', 'T-2', 'https://app.example.com/kaleyra/dlr'],
      ['KLRHXA', '1107160000000000001', 'https://b.example.com/'],
    ]);
  });
});

describe('the request: hosts', () => {
  it.each([
    ['in', 'https://api.in.kaleyra.io'],
    ['ap', 'https://api.ap.kaleyra.io'],
    ['eu', 'https://api.eu.kaleyra.io'],
  ] as const)('region %s posts to %s', async (region, host) => {
    const seen = capture(`${host}/v1/${SID}/messages`);
    const receipt = await provider({ region }).send({ to: TO, body: BODY }, context());
    expect(seen.map((request) => request.url)).toEqual([`${host}/v1/${SID}/messages`]);
    expect(receipt.messageId).toBe('ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1');
  });

  it('baseUrl with a trailing slash: one slash before v1', async () => {
    const seen = capture(`https://kaleyra-proxy.example.com/v1/${SID}/messages`);
    await provider({ baseUrl: 'https://kaleyra-proxy.example.com/' }).send({ to: TO, body: BODY }, context());
    expect(seen.map((request) => request.url)).toEqual([
      `https://kaleyra-proxy.example.com/v1/${SID}/messages`,
    ]);
  });

  it('baseUrl with a path keeps the path', async () => {
    const seen = capture(`http://localhost:9999/kaleyra/v1/${SID}/messages`);
    await provider({ baseUrl: 'http://localhost:9999/kaleyra/' }).send({ to: TO, body: BODY }, context());
    expect(seen.map((request) => request.url)).toEqual([`http://localhost:9999/kaleyra/v1/${SID}/messages`]);
  });

  it('region and baseUrl together → INVALID_CONFIG', () => {
    expect(() => provider({ region: 'in', baseUrl: 'https://api.in.kaleyra.io' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });

  it('a custom fetch option carries the request', async () => {
    const fetch = vi.fn(async (input: Request | URL | string, init?: RequestInit) => {
      const request = new Request(input, init);
      expect(request.url).toBe(ENDPOINT);
      expect(request.headers.get('api-key')).toBe(API_KEY);
      expect(fields(await request.text())).toContainEqual(['to', TO]);
      return new Response(SUCCESS, { status: 200, headers: { 'content-type': 'application/json' } });
    });
    const receipt = await provider({ fetch }).send({ to: TO, body: BODY }, context());
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(receipt.messageId).toBe('ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('India (DLT)', () => {
  const INDIA = '+919876543210';

  it('+91 without a template id → INVALID_INPUT naming DLT and templateId, and no request', async () => {
    const seen = capture();
    const error = await failure(provider().send({ to: INDIA, body: BODY }, context()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.retryable).toBe(false);
    expect(error.provider).toBe('kaleyra');
    expect(error.message).toContain('DLT');
    expect(error.message).toContain('templateId');
    expect(error.issues?.map((issue) => issue.path)).toEqual(['templateId']);
    expect(seen).toHaveLength(0);
    expect(emulator.requests).toHaveLength(0);
  });

  it("the provider's templateId satisfies the rule", async () => {
    const seen = capture();
    await provider({ templateId: '1107160000000000001' }).send({ to: INDIA, body: BODY }, context());
    expect(Object.fromEntries(fields(seen[0]!.text))).toMatchObject({
      to: INDIA,
      template_id: '1107160000000000001',
    });
  });

  it("the message's templateId satisfies the rule", async () => {
    const receipt = await provider().send(
      { to: INDIA, body: BODY, templateId: '1107160000000000002' },
      context(),
    );
    expect(receipt.to).toBe(INDIA);
    expect(emulator.requests[0]?.form.template_id).toBe('1107160000000000002');
    expect(emulator.accepted(INDIA)).toBe(1);
  });

  it('requireTemplateIdForIndia: false lets it through without template_id', async () => {
    const seen = capture();
    await provider({ requireTemplateIdForIndia: false }).send({ to: INDIA, body: BODY }, context());
    expect(fields(seen[0]!.text)).toEqual([
      ['to', INDIA],
      ['type', 'OTP'],
      ['sender', 'KLRHXA'],
      ['body', BODY],
    ]);
  });

  it('only +91 is India: +92 and +1 need no template id', async () => {
    await provider().send({ to: '+923001234567', body: BODY }, context());
    await provider().send({ to: TO, body: BODY }, context());
    expect(emulator.accepted()).toBe(2);
  });

  it('an invalid message → INVALID_INPUT before any request', async () => {
    for (const message of [
      { to: '+911234567890,+919876543210', body: BODY },
      { to: '14155550123', body: BODY },
      { to: TO, body: '' },
    ]) {
      const error = await failure(provider().send(message as OtpMessage, context()));
      expect(error.code).toBe('INVALID_INPUT');
    }
    expect(emulator.requests).toHaveLength(0);
  });
});
