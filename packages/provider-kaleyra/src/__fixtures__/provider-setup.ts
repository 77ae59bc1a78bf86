// Shared by the kaleyra-provider-*.test.ts files: the seed samples, an msw server with the emulator,
// and helpers that serve or capture one exchange.
import { readFileSync } from 'node:fs';
import { type CapturedRequest, captureRequests, formFields, rejectionOf } from '@otpkit/provider-conformance';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import type { KaleyraProviderOptions } from '../kaleyra-options.js';
import { createKaleyraProvider } from '../kaleyra-provider.js';
import { createKaleyraEmulator } from '../testing.js';
// The seed's sample values. The seed's `to=+1XXXXXXXXXX` is a placeholder: +14155550123 stands in for it.
export const SID = 'HXXXXXXX071US';
export const API_KEY = 'Ac4XXXXX21f';
export const TO = '+14155550123';
export const SEED_BODY = ' Dear Customer, 1234 is your OTP (One Time Password) for the transaction.';
export const SEED_CALLBACK = 'https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c';
export const SEED_TEMPLATE_ID = '2xxxxxxxxxxxx';
export const ENDPOINT = `https://api.kaleyra.io/v1/${SID}/messages`;
export const BODY = 'Your OTP is 482913';

export const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
export const SUCCESS = fixture('send-success.json');
export const SUCCESS_INDIA = fixture('send-success-india.json');
export const ERROR_E404 = fixture('send-error-e404.json');

export const emulator = createKaleyraEmulator({ sid: SID, apiKey: API_KEY });
export const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

export const provider = (options: Partial<KaleyraProviderOptions> = {}) =>
  createKaleyraProvider({ sid: SID, apiKey: API_KEY, sender: 'KLRHXA', ...options });
export const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });

/** Awaits a send that must fail and returns its `OtpError`. */
export const failure = rejectionOf;

/** Serves one reply to the next send (raw text, or JSON). */
export function serve(status: number, body: string | object, headers: Record<string, string> = {}) {
  server.use(
    http.post(
      ENDPOINT,
      () =>
        new HttpResponse(typeof body === 'string' ? body : JSON.stringify(body), {
          status,
          headers: {
            'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
            ...headers,
          },
        }),
    ),
  );
}

/** Serves a JSON text as it is (fixtures are served byte for byte). */
export function serveJson(status: number, text: string, url = ENDPOINT) {
  server.use(
    http.post(url, () => new HttpResponse(text, { status, headers: { 'content-type': 'application/json' } })),
  );
}

export type Captured = CapturedRequest;

/** Records every raw request to `url` (api-key unredacted) and answers with the seed's success reply. */
export const capture = (url = ENDPOINT, reply = SUCCESS): Captured[] =>
  captureRequests({ server, http }, url, reply);

/** The fields of a form body, in order, duplicates kept. */
export const fields = formFields;
