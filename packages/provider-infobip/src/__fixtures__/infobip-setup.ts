import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { OtpError } from '@otpkit/core';
import { type CapturedRequest, captureRequests, rejectionOf } from '@otpkit/provider-conformance';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { InfobipProviderOptions } from '../infobip-options.js';
import { createInfobipProvider } from '../infobip-provider.js';
import { createInfobipEmulator } from '../testing.js';

export const API_KEY = '003026bbc133714df1834b8638bb496e-8f4b3d9a-e931-478d-a994-28a725159ab9';
export const BASE_URL = 'https://xxxxx.api.infobip.com';
export const ENDPOINT = `${BASE_URL}/sms/3/messages`;
export const TO = '+41793026727';
export const BODY = 'Your code is 482913';

export const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
export const ACCEPTED = fixture('send-accepted.json');

export const emulator = createInfobipEmulator({ apiKey: API_KEY, baseUrl: BASE_URL });
export const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

export const provider = (options: Partial<InfobipProviderOptions> = {}) =>
  createInfobipProvider({ apiKey: API_KEY, baseUrl: BASE_URL, sender: 'InfoSMS', ...options });
export const context = () => ({ signal: new AbortController().signal, attempt: 1 });
export const failure = rejectionOf;

/** Serves one reply to the next send: a text as it is, an object as JSON. */
export function serve(status: number, body: string | object, headers: Record<string, string> = {}) {
  server.use(
    http.post(
      ENDPOINT,
      () =>
        new HttpResponse(typeof body === 'string' ? body : JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json', ...headers },
        }),
      { once: true },
    ),
  );
}

/** Records every raw request (the key unredacted) and answers with the docs' accepted reply. */
export const capture = (reply = ACCEPTED): CapturedRequest[] =>
  captureRequests({ server, http }, ENDPOINT, reply);

/** Every rendering of an error that can reach a log. */
export const renderings = (error: OtpError) =>
  [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 }), error.stack].join(
    '\n',
  );
