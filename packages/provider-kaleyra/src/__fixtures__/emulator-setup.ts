import { readFileSync } from 'node:fs';
import { rejectionOf } from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import type { KaleyraProviderOptions } from '../kaleyra-options.js';
import { createKaleyraProvider } from '../kaleyra-provider.js';
import { createKaleyraEmulator } from '../testing.js';
export const SID = 'HXXXXXXX071US';
export const API_KEY = 'Ac4XXXXX21f';
export const TO = '+14155550123';
export const BODY = 'Your OTP is 482913';
export const ENDPOINT = `https://api.kaleyra.io/v1/${SID}/messages`;
export const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

export const emulator = createKaleyraEmulator({ sid: SID, apiKey: API_KEY });
export const india = createKaleyraEmulator({ sid: SID, apiKey: API_KEY, region: 'in' });
export const server = setupServer(...emulator.handlers, ...india.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  india.reset();
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

export const provider = (options: Partial<KaleyraProviderOptions> = {}) =>
  createKaleyraProvider({ sid: SID, apiKey: API_KEY, sender: 'KLRHXA', ...options });
export const context = () => ({ signal: new AbortController().signal, attempt: 1 });
export const send = (options: Partial<KaleyraProviderOptions> = {}, to = TO) =>
  provider(options).send({ to, body: BODY }, context());

export const failure = rejectionOf;

/** Posts a raw form, as any client could (msw intercepts the global fetch). */
export function post(form: Record<string, string>, { key = API_KEY, url = ENDPOINT } = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'api-key': key, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}
