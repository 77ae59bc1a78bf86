import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { OtpError } from '../errors.js';
import { createVendorSend, type HttpClient } from '../http.js';

const context = { attempt: 1, signal: new AbortController().signal };
const message = { to: '+14155550123', body: 'Your code is 123456' };

function client(answer: (body: unknown) => Response) {
  const calls: { url: string; options: Record<string, unknown> }[] = [];
  const http: HttpClient = {
    post: async (url, options) => {
      calls.push({ url, options: options as Record<string, unknown> });
      return answer(options.body);
    },
  };
  return { http, calls };
}

const base = (http: HttpClient) => ({
  provider: 'acme',
  client: http,
  options: { timeoutMs: 1000 },
  secrets: () => ['sk-secret', message.body],
  error: (reply: { status: number }) =>
    new OtpError('REJECTED', `acme: HTTP ${reply.status}`, { provider: 'acme' }),
  success: v.looseObject({ id: v.string() }),
  shape: 'an id',
  receipt: (output: { id: string }) => ({ messageId: output.id }),
});

describe('createVendorSend', () => {
  it('posts JSON or a form as the request says, and builds the receipt from the success reply', async () => {
    const { http, calls } = client(() => Response.json({ id: 'm-1' }));
    const json = createVendorSend({
      ...base(http),
      request: (m) => ({ path: 'v1/sms', json: { to: m.to }, headers: { authorization: 'Bearer t' } }),
    });
    const receipt = await json(message, context);
    expect(receipt).toMatchObject({ provider: 'acme', messageId: 'm-1', to: message.to, raw: { id: 'm-1' } });
    expect(receipt.acceptedAt).toBeInstanceOf(Date);
    expect(calls[0]).toMatchObject({
      url: 'v1/sms',
      options: {
        body: '{"to":"+14155550123"}',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      },
    });
    const form = createVendorSend({
      ...base(http),
      request: (m) => ({ path: 'v1/form', form: new URLSearchParams({ to: m.to }) }),
    });
    await form(message, context);
    expect(calls[1]?.options.body).toBeInstanceOf(URLSearchParams);
  });

  it('checks the message first: a bad one is INVALID_INPUT and nothing is sent', async () => {
    const { http, calls } = client(() => Response.json({ id: 'm-1' }));
    const send = createVendorSend({ ...base(http), request: () => ({ path: 'x', json: {} }) });
    await expect(send({ to: 'nope', body: 'x' }, context)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(calls).toHaveLength(0);
  });

  it('a non-2xx, an error inside a 2xx, or a refused success all go through the vendor error handler', async () => {
    const statuses: number[] = [];
    const error = (reply: { status: number }) => {
      statuses.push(reply.status);
      return new OtpError('REJECTED', 'acme: refused', { provider: 'acme' });
    };
    for (const [answer, extra] of [
      [() => Response.json({ code: 'E1' }, { status: 400 }), {}],
      [
        () => Response.json({ type: 'error' }),
        { failedIn2xx: (reply: { json: unknown }) => (reply.json as { type?: string }).type === 'error' },
      ],
      [
        () => Response.json({ id: 'm', failed: true }),
        { refused: (output: { failed?: unknown }) => output.failed === true },
      ],
    ] as const) {
      const { http } = client(answer);
      const send = createVendorSend({
        ...base(http),
        ...extra,
        error,
        request: () => ({ path: 'x', json: {} }),
      } as never);
      await expect((send as ReturnType<typeof createVendorSend>)(message, context)).rejects.toMatchObject({
        code: 'REJECTED',
      });
    }
    expect(statuses).toEqual([400, 200, 200]);
  });

  it("keeps the request's own secrets out of errors too", async () => {
    const { http } = client(() => Response.json({ message: 'bad variable 918273' }, { status: 400 }));
    const seen: (readonly (string | undefined)[])[] = [];
    const send = createVendorSend({
      ...base(http),
      error: (_reply, secrets) => {
        seen.push(secrets);
        return new OtpError('REJECTED', 'acme: refused', { provider: 'acme' });
      },
      request: () => ({ path: 'x', json: {}, secrets: ['918273'] }),
    });
    await expect(send(message, context)).rejects.toMatchObject({ code: 'REJECTED' });
    expect(seen).toEqual([['sk-secret', message.body, '918273']]);
  });

  it('a success without a usable message id is INVALID_RESPONSE, naming the field', async () => {
    const { http } = client(() => Response.json({ id: 'm\u0000' }));
    const send = createVendorSend({
      ...base(http),
      messageIdField: 'message_uuid',
      request: () => ({ path: 'x', json: {} }),
    });
    const error = await send(message, context).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INVALID_RESPONSE',
      message: expect.stringContaining('without a message_uuid'),
    });
  });
});
