import { readFileSync } from 'node:fs';
import { type CapturedRequest, captureRequests, formFields, rejectionOf } from '@otpkit/provider-conformance';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTwilioEmulator } from '../testing.js';
import type { TwilioProviderOptions } from '../twilio-options.js';
import { createTwilioProvider } from '../twilio-provider.js';
export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const AUTH_TOKEN = 'provider-test-auth-token-7a6b5c';
export const API_KEY_SID = `SK${'fedcba9876543210'.repeat(2)}`;
export const API_KEY_SECRET = 'provider-test-api-key-secret-31';
export const MG = `MG${'00112233445566778899aabbccddeeff'}`;
export const FROM = '+15017122661';
export const TO = '+15558675310';
export const BODY = 'Your code is 482913';
export const ENDPOINT = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

export const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
export const SUCCESS = fixture('send-success.json');
export const ERROR_21211 = fixture('send-error-21211.json');

export const emulator = createTwilioEmulator({
  accountSid: ACCOUNT_SID,
  authToken: AUTH_TOKEN,
  apiKeySid: API_KEY_SID,
  apiKeySecret: API_KEY_SECRET,
});
export const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

export const provider = (options: Partial<TwilioProviderOptions> = {}) =>
  createTwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, ...options });
export const apiKeyProvider = (options: Partial<TwilioProviderOptions> = {}) =>
  createTwilioProvider({
    accountSid: ACCOUNT_SID,
    apiKeySid: API_KEY_SID,
    apiKeySecret: API_KEY_SECRET,
    from: FROM,
    ...options,
  });
export const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });
export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/** Awaits a send that must fail and returns its `OtpError`. */
export const failure = rejectionOf;

/** Serves one reply to the next send: a text as is, or an object as JSON. */
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

/** Records every raw request (credentials unredacted) and answers with the docs' Message resource. */
export const capture = (url = ENDPOINT): Captured[] => captureRequests({ server, http }, url, SUCCESS, 201);

/** The fields of a form body, in order, duplicates kept. */
export const fields = formFields;
