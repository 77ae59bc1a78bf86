import { createDispatcher, OtpError } from '@otpkit/core';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  BODY,
  context,
  ENDPOINT,
  emulator,
  failure,
  provider,
  SUCCESS,
  server,
  TO,
} from './__fixtures__/provider-setup.js';

describe('no reply: network, timeout, abort', () => {
  it('network failure → NETWORK', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.error()));
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true, provider: 'kaleyra' });
  });

  it("the provider's own timeoutMs → TIMEOUT", async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const started = Date.now();
    const error = await failure(provider({ timeoutMs: 50 }).send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, provider: 'kaleyra' });
    expect(Date.now() - started).toBeLessThan(400);
  });

  it("under a dispatcher, the dispatcher's per-attempt limit rules, not the provider's own timeoutMs", async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(150);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const dispatcher = createDispatcher({ providers: [provider({ timeoutMs: 50 })], timeoutMs: 2000 });
    const result = await dispatcher.send({ to: TO, body: BODY });
    expect(result).toMatchObject({ provider: 'kaleyra', attempts: 1 });
    await dispatcher.close();
  });

  it("the caller's signal aborted mid-request → ABORTED", async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    expect(error).toMatchObject({ code: 'ABORTED', retryable: false, provider: 'kaleyra' });
  });

  it("under a deadline, the attempt's signal cancels the request on the wire", async () => {
    let cancelled = false;
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        request.signal.addEventListener('abort', () => {
          cancelled = true;
        });
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const reason = new OtpError('TIMEOUT', 'kaleyra: attempt 1 took longer than 20 ms', {
      provider: 'kaleyra',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 20);
    const error = await failure(
      provider().send(
        { to: TO, body: BODY },
        { signal: controller.signal, attempt: 1, deadline: Date.now() + 20 },
      ),
    );
    expect(error).toBe(reason);
    expect(cancelled).toBe(true);
  });

  it('under a deadline, a custom fetch gets the request with the attempt signal, and its abort ends the send', async () => {
    const seen: { url: string; signal: AbortSignal | null | undefined }[] = [];
    const fetch = vi.fn((input: Request | URL | string, init?: RequestInit) => {
      const signal = init?.signal;
      seen.push({ url: input instanceof Request ? input.url : String(input), signal });
      return new Promise<Response>((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
      });
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(
      provider({ fetch }).send(
        { to: TO, body: BODY },
        { signal: controller.signal, attempt: 1, deadline: Date.now() + 20 },
      ),
    );
    expect(error).toMatchObject({ code: 'ABORTED', provider: 'kaleyra' });
    expect(seen).toEqual([{ url: ENDPOINT, signal: controller.signal }]);
    expect(emulator.requests).toHaveLength(0);
  });

  it('a signal aborted with an OtpError TIMEOUT reason (as the dispatcher does) → that error', async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const reason = new OtpError('TIMEOUT', 'kaleyra: attempt 1 took longer than 20 ms', {
      provider: 'kaleyra',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 20);
    const error = await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    expect(error).toBe(reason);
  });

  it('a signal aborted before the send → ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    expect(error.code).toBe('ABORTED');
    expect(emulator.accepted()).toBe(0);
  });
});
