import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { OtpError } from '@otpkit/core';
import { type CapturedRequest, captureRequests, formFields, rejectionOf } from '@otpkit/provider-conformance';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createVonageEmulator } from '../testing.js';
import type { VonageProviderOptions } from '../vonage-options.js';
import { createVonageProvider } from '../vonage-provider.js';
// The spec's examples: an 8-character key, a 16-character secret.
export const API_KEY = 'abcd1234';
export const API_SECRET = 'Vn7SecretXy91Qz0';
export const ENDPOINT = 'https://rest.nexmo.com/sms/json';
export const TO = '+447700900000';
export const BODY = 'Your code is 482913';

export const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
export const SUCCESS = fixture('send-success.json');
export const MISSING_TO = fixture('send-error-missing-to.json');

export const emulator = createVonageEmulator({ apiKey: API_KEY, apiSecret: API_SECRET });
export const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

export const provider = (options: Partial<VonageProviderOptions> = {}) =>
  createVonageProvider({ apiKey: API_KEY, apiSecret: API_SECRET, from: 'OTPKIT', ...options });
export const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });

/** Awaits a send that must fail and returns its `OtpError`. */
export const failure = rejectionOf;

/** Serves one reply to the next send: a JSON text as it is, or an object as JSON. */
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

export type Captured = CapturedRequest;

/** Records every raw request (the secret unredacted) and answers with the docs' success reply. */
export const capture = (reply = SUCCESS): Captured[] => captureRequests({ server, http }, ENDPOINT, reply);

/** The fields of a form body, in order, duplicates kept. */
export const fields = formFields;

/** A Vonage reply of several parts with these statuses. */
export const parts = (...statuses: string[]) => ({
  'message-count': String(statuses.length),
  messages: statuses.map((status, index) =>
    status === '0'
      ? { to: '447700900000', 'message-id': `0C00000021${index}B7F0${index}`, status: '0', network: '23410' }
      : { status, 'error-text': `error ${status} on part ${index + 1}` },
  ),
});

/** Every rendering of an error that can reach a log. */
export const renderings = (error: OtpError) =>
  [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 }), error.stack].join(
    '\n',
  );
