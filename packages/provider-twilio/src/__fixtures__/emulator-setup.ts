import { afterEach } from 'vitest';
import { createTwilioEmulator } from '../testing.js';
export const ACCOUNT_SID = `AC${'ab'.repeat(16)}`;
export const AUTH_TOKEN = 'emulator-test-auth-token';
export const API_KEY_SID = `SK${'cd'.repeat(16)}`;
export const API_KEY_SECRET = 'emulator-test-api-secret';
export const PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
export const URL_ = `https://api.twilio.com${PATH}`;

export const emulator = createTwilioEmulator({
  accountSid: ACCOUNT_SID,
  authToken: AUTH_TOKEN,
  apiKeySid: API_KEY_SID,
  apiKeySecret: API_KEY_SECRET,
});
afterEach(() => emulator.reset());

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const GOOD_AUTH = basic(ACCOUNT_SID, AUTH_TOKEN);

export function post(
  form: Record<string, string>,
  {
    auth = GOOD_AUTH,
    url = URL_,
    method = 'POST',
  }: { auth?: string | null; url?: string; method?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth !== null) headers.authorization = auth;
  return emulator.handle(
    new Request(url, { method, headers, ...(method === 'GET' ? {} : { body: new URLSearchParams(form) }) }),
  );
}
export const good = { To: '+15558675310', From: '+15017122661', Body: 'Your code is 482913' };
