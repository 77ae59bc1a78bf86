import { createDispatcher, isOtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { heading, printLifecycle } from './print.js';

const primary = createFakeProvider({ id: 'primary', latencyMs: 20 });
const backup = createFakeProvider({ id: 'backup', latencyMs: 20 });
const dispatcher = createDispatcher({
  providers: [primary, backup],
  retry: { retries: 2, minDelayMs: 100, maxDelayMs: 400 },
  timeoutMs: 2000,
});
printLifecycle(dispatcher);

const phone = '+14155550123';
const code = () => String(Math.floor(100000 + Math.random() * 900000));

heading('A plain send through the fake provider');
await dispatcher.send({ to: phone, body: `Your code is ${code()}`, reference: 'login-1' });
console.log(`         the fake recorded it; the code it holds is ${primary.lastCode(phone)}`);

heading('The vendor fails once (503-like), the dispatcher retries');
primary.failNext('PROVIDER_UNAVAILABLE');
await dispatcher.send({ to: phone, body: `Your code is ${code()}`, reference: 'login-2' });

heading('The primary vendor is down: retries run out, the backup takes over');
primary.failNext('NETWORK', 3);
await dispatcher.send({ to: phone, body: `Your code is ${code()}`, reference: 'login-3' });

heading('A message the vendor refuses is not retried and does not fail over');
primary.failNext('REJECTED');
await dispatcher.send({ to: phone, body: `Your code is ${code()}`, reference: 'login-4' }).catch(() => {});

heading('Bad input is refused before anything is queued (no events)');
try {
  await dispatcher.send({ to: '+1 415 555 0123, +1 415 555 0199', body: 'Your code is 123456' });
} catch (error) {
  if (isOtpError(error)) console.log(`         ${error.code}: ${error.message}`);
}

await dispatcher.close();
console.log('\nDone: the dispatcher is closed and every send ended in exactly one terminal event.');
