import { readFileSync } from 'node:fs';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { TelnyxProviderOptions } from '../telnyx-options.js';
import { createTelnyxProvider } from '../telnyx-provider.js';
import { createTelnyxEmulator } from '../testing.js';

export const API_KEY = 'KEY0188F3C1D2E4A5B6C7D8E9F0_telnyxTestSecret01';
export const FROM = '+15005550006';
export const PROFILE = '4000eba1-a0c0-4563-9925-b25e842a7cb6';
export const ENDPOINT = 'https://api.telnyx.com/v2/messages';
export const TO = '+14155550123';
export const BODY = 'Your code is 482913';

export const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
export const SUCCESS = fixture('send-success.json');
export const OPTED_OUT = fixture('send-error-opted-out.json');

export const emulator = createTelnyxEmulator({ apiKey: API_KEY, optedOut: ['+14155550999'] });
export const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

export const provider = (options: Partial<TelnyxProviderOptions> = {}) =>
  createTelnyxProvider({ apiKey: API_KEY, from: FROM, ...options });
export const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });

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

/** A Telnyx error body with one error. */
export const telnyxErrors = (code: string | number, title = 'Error', detail?: string) => ({
  errors: [{ code, title, ...(detail === undefined ? {} : { detail }) }],
});
