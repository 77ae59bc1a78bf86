import { createDispatcher, type Dispatcher, isOtpError, type OtpProvider } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createKaleyraProvider } from '@otpkit/provider-kaleyra';
import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { loginTour } from './login.js';
import { heading, printLifecycle } from './print.js';
import { receiptTour } from './receipts.js';

/** The app's own code: it knows nothing about the vendor behind the dispatcher. */
async function sendLoginCode(dispatcher: Dispatcher, phone: string, reference: string) {
  const code = String(Math.floor(100000 + Math.random() * 900000));
  const result = await dispatcher.send({ to: phone, body: `Your login code is ${code}`, reference });
  return result.messageId;
}

function makeDispatcher(providers: OtpProvider[]): Dispatcher {
  const dispatcher = createDispatcher({
    providers,
    retry: { retries: 2, minDelayMs: 100, maxDelayMs: 400 },
    timeoutMs: 2000,
  });
  printLifecycle(dispatcher);
  return dispatcher;
}

const phone = '+14155550123';
const { KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_TO } = process.env;

if (KALEYRA_SID && KALEYRA_API_KEY && KALEYRA_TO) {
  heading(`A real OTP through Kaleyra to ${KALEYRA_TO}`);
  const kaleyra = createKaleyraProvider({
    sid: KALEYRA_SID,
    apiKey: KALEYRA_API_KEY,
    ...(process.env.KALEYRA_SENDER ? { sender: process.env.KALEYRA_SENDER } : {}),
    ...(process.env.KALEYRA_TEMPLATE_ID ? { templateId: process.env.KALEYRA_TEMPLATE_ID } : {}),
    ...(process.env.KALEYRA_BASE_URL ? { baseUrl: process.env.KALEYRA_BASE_URL } : {}),
  });
  const dispatcher = makeDispatcher([kaleyra]);
  await sendLoginCode(dispatcher, KALEYRA_TO, 'real-1').catch(() => {});
  await dispatcher.close();
} else {
  console.log(
    '(No KALEYRA_SID, KALEYRA_API_KEY and KALEYRA_TO given: Kaleyra is played by a local emulator.)',
  );

  const emulator = createKaleyraEmulator({ sid: 'HXDEMO0001IN', apiKey: 'demo-key-not-secret' });
  const server = await emulator.listen();
  const kaleyra = createKaleyraProvider({
    sid: 'HXDEMO0001IN',
    apiKey: 'demo-key-not-secret',
    sender: 'KLRHXA',
    baseUrl: server.url,
  });
  const dispatcher = makeDispatcher([kaleyra]);
  console.log(`Kaleyra emulator listening on ${server.url}`);

  heading('Kaleyra accepts an OTP (a real HTTP request to the local emulator)');
  await sendLoginCode(dispatcher, phone, 'login-1');
  const request = emulator.requests.at(-1);
  console.log(
    `         the emulator got ${request?.method} ${request?.path} with fields ${Object.keys(request?.form ?? {}).join(', ')}`,
  );

  heading('Kaleyra answers 429 with Retry-After: 1; the dispatcher waits a second and retries');
  emulator.failNext({ kind: 'rate-limit', retryAfter: 1 });
  await sendLoginCode(dispatcher, phone, 'login-2');

  heading('Kaleyra refuses the message (E404); a refusal is final: no retry');
  emulator.failNext({
    kind: 'error',
    code: 'E404',
    message: 'If Type is OTP then only one mobile number is allowed.',
  });
  await sendLoginCode(dispatcher, phone, 'login-3').catch(() => {});

  heading('India without a DLT template id is refused before any request');
  const before = emulator.requests.length;
  await sendLoginCode(dispatcher, '+919876543210', 'login-4').catch(() => {});
  console.log(`         requests made: ${emulator.requests.length - before}`);

  await dispatcher.close();
  await server.close();
}

heading('The same app function, now with the fake provider (what your tests use)');
const primary = createFakeProvider({ id: 'fake', latencyMs: 10 });
const backup = createFakeProvider({ id: 'backup', latencyMs: 10 });
const dispatcher = makeDispatcher([primary, backup]);
await sendLoginCode(dispatcher, phone, 'test-1');
console.log(`         the fake recorded it; the code it holds is ${primary.lastCode(phone)}`);

heading('The primary vendor cannot be reached: with a backup left, the dispatcher fails over at once');
primary.failNext('NETWORK', 3);
await sendLoginCode(dispatcher, phone, 'test-2');

heading('Bad input is refused before anything is queued (no events)');
try {
  await dispatcher.send({ to: '+1 415 555 0123, +1 415 555 0199', body: 'Your code is 123456' });
} catch (error) {
  if (isOtpError(error)) console.log(`         ${error.code}: ${error.message}`);
}

await dispatcher.close();

await receiptTour();
await loginTour();
console.log('\nDone: every accepted send ended in exactly one terminal event (sent or failed).');
