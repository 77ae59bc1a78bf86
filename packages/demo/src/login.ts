import { randomBytes } from 'node:crypto';
import { createDispatcher, isOtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createVerifier, refusalReason, type Verifier } from '@otpkit/verify';
import { heading } from './print.js';

/** What the login walk-through saw, for its test. */
export interface LoginTour {
  statuses: string[];
  providers: string[];
  refusal: string | undefined;
  testNumber: string;
}

/** Prints every verifier event, one line each. */
function printVerifier(verifier: Verifier): void {
  verifier
    .on('started', (e) =>
      console.log(
        `         started   ${e.to} send ${e.sends}${e.testNumber ? ' (test number: no SMS)' : ` via ${e.provider}`}`,
      ),
    )
    .on('rejected', (e) =>
      console.log(`         rejected  ${e.to}: wrong code, ${e.attemptsLeft} attempts left`),
    )
    .on('approved', (e) => console.log(`         approved  ${e.to}`))
    .on('refused', (e) =>
      console.log(
        `         refused   ${e.to}: ${e.reason}, retry in ${Math.ceil((e.retryAfterMs ?? 0) / 1000)} s`,
      ),
    );
}

/**
 * A login with `@otpkit/verify` over two fake vendors: start, a wrong code, the right code, a resend
 * that goes through the second vendor, a refusal by the limits, and an app-store reviewer's test number.
 * The verifier's clock is moved by hand, so the walk-through takes no real time.
 */
export async function loginTour(): Promise<LoginTour> {
  const first = createFakeProvider({ id: 'sms-first' });
  const second = createFakeProvider({ id: 'sms-second' });
  const dispatcher = createDispatcher({ providers: [first, second] });
  let clock = Date.now();
  const verifier = createVerifier({
    dispatcher,
    secret: randomBytes(32),
    appName: 'Demo',
    maxSends: { count: 3, windowMs: 600_000 },
    testNumbers: { '+15005550006': '123456' },
    testNumbersValidUntil: new Date(clock + 7 * 86_400_000),
    now: () => clock,
  });
  printVerifier(verifier);
  const phone = '+14155550123';
  const tour: LoginTour = { statuses: [], providers: [], refusal: undefined, testNumber: '' };

  heading('Login: the app asks @otpkit/verify for a code; the user types a wrong one, then the right one');
  const started = await verifier.start({ to: phone, locale: 'en', reference: 'login-42' });
  tour.providers.push(started.dispatch!.provider);
  console.log(`         SMS text: "${first.lastMessage(phone)!.body}"`);
  const wrong = await verifier.check({
    to: phone,
    code: '000000' === first.lastCode(phone) ? '111111' : '000000',
  });
  const right = await verifier.check({ to: phone, code: first.lastCode(phone)! });
  tour.statuses.push(wrong.status, right.status);

  heading('A resend (the first SMS did not arrive?) goes through the other vendor');
  await verifier.start({ to: phone });
  clock += 30_000; // the resend cool-down
  const resent = await verifier.start({ to: phone });
  tour.providers.push(resent.dispatch!.provider);
  console.log(`         resend ${resent.sends} went through ${resent.dispatch!.provider}`);
  tour.statuses.push((await verifier.check({ to: phone, code: second.lastCode(phone)! })).status);

  heading('Too many codes to one number: the per-number window refuses before any SMS');
  clock += 30_000;
  try {
    await verifier.start({ to: phone });
  } catch (error) {
    if (!isOtpError(error)) throw error;
    tour.refusal = refusalReason(error);
    console.log(`         ${error.code} (${tour.refusal}): ${error.message}`);
  }

  heading("An app-store reviewer's test number: no SMS, a fixed code, until testNumbersValidUntil");
  await verifier.start({ to: '+15005550006' });
  tour.testNumber = (await verifier.check({ to: '+15005550006', code: '123456' })).status;

  await dispatcher.close();
  return tour;
}
