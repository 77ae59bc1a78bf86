import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  BODY,
  ENDPOINT,
  emulator,
  failure,
  fixture,
  india,
  post,
  SID,
  send,
  TO,
} from './__fixtures__/emulator-setup.js';
import { KaleyraSuccessSchema } from './kaleyra-provider.js';
import { createKaleyraEmulator } from './testing.js';

describe('emulator: answers like Kaleyra', () => {
  it('a good request gets a success body of the seed shape, with fresh ids', async () => {
    const response = await post({ to: TO, type: 'OTP', sender: 'KLRHXA', body: BODY });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const reply = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(reply).sort()).toEqual(Object.keys(fixture('send-success.json')).sort());
    expect(reply).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sender: 'KLRHXA',
      type: 'OTP',
      body: BODY,
      createdDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/),
      totalCount: 1,
      data: [{ message_id: `${reply.id}:1`, recipient: '14155550123' }],
      dlrurl: null,
      error: {},
    });

    const second = (await (await post({ to: TO, type: 'OTP', body: BODY })).json()) as { id: string };
    expect(second.id).not.toBe(reply.id);
  });

  it('echoes template_id and callback like the Indian sample reply, and passes the provider schema', async () => {
    const response = await post({
      to: '+919876543210',
      type: 'OTP',
      sender: 'KLRHXA',
      body: BODY,
      callback: 'https://app.example.com/dlr',
      template_id: '1107160000000000001',
    });
    const reply = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(reply).sort()).toEqual(Object.keys(fixture('send-success-india.json')).sort());
    expect(reply).toMatchObject({
      template_id: '1107160000000000001',
      dlrurl: 'https://app.example.com/dlr',
      data: [{ recipient: '919876543210' }],
    });
    expect(v.is(KaleyraSuccessSchema, reply)).toBe(true);
  });

  it('the default sender is KLRHXA when none is sent', async () => {
    const reply = (await (await post({ to: TO, type: 'OTP', body: BODY })).json()) as { sender: string };
    expect(reply.sender).toBe('KLRHXA');
  });

  it('the receipt the provider builds from it', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const receipt = await send();
    expect(receipt.messageId).toMatch(/^[0-9a-f-]{36}:1$/);
    expect(receipt.to).toBe(TO);
    expect(receipt.acceptedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(receipt.acceptedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('a wrong api-key → 401, which the provider maps to AUTHENTICATION', async () => {
    const response = await post({ to: TO, type: 'OTP', body: BODY }, { key: 'not-the-key' });
    expect(response.status).toBe(401);
    const error = await failure(send({ apiKey: 'not-the-key' }));
    expect(error).toMatchObject({ code: 'AUTHENTICATION', status: 401, retryable: false });
    expect(emulator.requests.map((request) => request.authorized)).toEqual([false, false]);
    expect(emulator.accepted()).toBe(0);
  });

  it('several numbers → the seed E404 reply', async () => {
    const response = await post({ to: '+911234567890,+919876543210', type: 'OTP', body: BODY });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(fixture('send-error-e404.json'));
    expect(emulator.accepted()).toBe(0);
  });

  it('refuses a missing to or body, and a type other than OTP', async () => {
    const codes: string[] = [];
    const forms: Record<string, string>[] = [
      { type: 'OTP', body: BODY },
      { to: TO, type: 'OTP' },
      { to: TO, type: 'TXN', body: BODY },
      { to: TO, body: BODY },
    ];
    for (const form of forms) {
      const response = await post(form);
      expect(response.status).toBe(400);
      codes.push(((await response.json()) as { code: string }).code);
    }
    expect(codes).toEqual(['E600', 'E601', 'E615', 'E615']);
  });

  it('another SID → 401 (a key works only with its own account); another path or method → 404', async () => {
    const other = await post(
      { to: TO, type: 'OTP', body: BODY },
      { url: 'https://api.kaleyra.io/v1/HXOTHER/messages' },
    );
    expect(other.status).toBe(401);
    const elsewhere = await post(
      { to: TO, type: 'OTP', body: BODY },
      { url: 'https://api.kaleyra.io/v1/HXOTHER/sms' },
    );
    expect(elsewhere.status).toBe(404);
    const get = await fetch(ENDPOINT, { headers: { 'api-key': API_KEY } });
    expect(get.status).toBe(404);
  });

  it('reads a JSON body too', async () => {
    const response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ to: TO, type: 'OTP', body: BODY }),
    });
    expect(response.status).toBe(200);
    expect(emulator.requests[0]?.form).toEqual({ to: TO, type: 'OTP', body: BODY });
  });

  it('handle() answers a Request without msw', async () => {
    const standalone = createKaleyraEmulator();
    const response = await standalone.handle(
      new Request('https://api.kaleyra.io/v1/HXTEST00000IN/messages', {
        method: 'POST',
        headers: { 'api-key': 'test-api-key' },
        body: new URLSearchParams({ to: TO, type: 'OTP', body: BODY }),
      }),
    );
    expect(response.status).toBe(200);
    expect(standalone.accepted(TO)).toBe(1);
  });

  it('region picks the host it intercepts', async () => {
    await send({ region: 'in' });
    expect(india.accepted(TO)).toBe(1);
    expect(emulator.accepted()).toBe(0);
  });
});

describe('emulator: records requests', () => {
  it('records every request with the key redacted, faults included', async () => {
    emulator.failNext({ kind: 'unavailable' });
    await failure(send());
    await send({ callbackUrl: 'https://app.example.com/dlr' });
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.requests[1]).toEqual({
      method: 'POST',
      path: `/v1/${SID}/messages`,
      headers: expect.objectContaining({
        'api-key': '[redacted]',
        'content-type': expect.stringMatching(/^application\/x-www-form-urlencoded/),
      }),
      form: { to: TO, type: 'OTP', sender: 'KLRHXA', body: BODY, callback: 'https://app.example.com/dlr' },
      authorized: true,
    });
    expect(JSON.stringify(emulator.requests)).not.toContain(API_KEY);
  });

  it('accepted(to) counts accepted messages by recipient, accepted() all of them', async () => {
    await send();
    await send();
    await send({ templateId: '1107160000000000001' }, '+919876543210');
    emulator.failNext({ kind: 'error', code: 'E413' });
    await failure(send());
    expect(emulator.accepted(TO)).toBe(2);
    expect(emulator.accepted('+919876543210')).toBe(1);
    expect(emulator.accepted('+440000000000')).toBe(0);
    expect(emulator.accepted()).toBe(3);
    expect(emulator.requests).toHaveLength(4);
  });

  it('reset() forgets requests, accepted messages and pending faults', async () => {
    await send();
    emulator.failNext({ kind: 'network' }, 3);
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.accepted()).toBe(0);
    await send();
    expect(emulator.accepted()).toBe(1);
  });
});
