import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { OtpError } from '@otpkit/core';
import { type CapturedRequest, captureRequests, rejectionOf } from '@otpkit/provider-conformance';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SinchProviderOptions } from '../sinch-options.js';
import { createSinchProvider } from '../sinch-provider.js';
import { createSinchEmulator } from '../testing.js';

export const SERVICE_PLAN_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const API_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
export const ENDPOINT = `https://us.sms.api.sinch.com/xms/v1/${SERVICE_PLAN_ID}/batches`;
export const TO = '+46700000001';
export const BODY = 'Your code is 482913';

export const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
export const CREATED = fixture('batch-created.json');

export const emulator = createSinchEmulator({ servicePlanId: SERVICE_PLAN_ID, apiToken: API_TOKEN });
export const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

export const provider = (options: Partial<SinchProviderOptions> = {}) =>
  createSinchProvider({
    servicePlanId: SERVICE_PLAN_ID,
    apiToken: API_TOKEN,
    from: '+12015550100',
    ...options,
  });
export const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });
export const failure = rejectionOf;

/** Serves one reply to the next send: a text as it is, an object as JSON, `null` as no body. */
export function serve(status: number, body: string | object | null, headers: Record<string, string> = {}) {
  server.use(
    http.post(
      ENDPOINT,
      () =>
        new HttpResponse(body === null ? null : typeof body === 'string' ? body : JSON.stringify(body), {
          status,
          headers: body === null ? headers : { 'content-type': 'application/json', ...headers },
        }),
      { once: true },
    ),
  );
}

/** Records every raw request (the token unredacted) and answers with the docs' 201 batch. */
export const capture = (reply = CREATED): CapturedRequest[] =>
  captureRequests({ server, http }, ENDPOINT, reply, 201);

/** Every rendering of an error that can reach a log. */
export const renderings = (error: OtpError) =>
  [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 }), error.stack].join(
    '\n',
  );
