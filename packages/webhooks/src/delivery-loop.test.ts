import { createDispatcher } from '@otpkit/core';
import { createMemoryStore, createVerifier, type ResentEvent } from '@otpkit/verify';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, lastCode, recordReports, serveHandler, VENDORS, vendorRig } from './__fixtures__/rig.js';
import { createWebhookHandler } from './webhook-handler.js';

const TO = '+14155550123';
const SECRET = 'loop-test-secret-0123456789abcdefghijklmnop';
/** The next vendor in the ring: each one's `undelivered` goes out again through the next. */
const next = (vendor: (typeof VENDORS)[number]) => VENDORS[(VENDORS.indexOf(vendor) + 1) % VENDORS.length]!;

describe('the loop: undelivered through vendor A, the code again through vendor B, approved', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  for (const first of VENDORS) {
    it(`${first} says undelivered, ${next(first)} carries the new code, which is approved`, async () => {
      const server = await serveHandler();
      const a = await vendorRig(first, server.url);
      const b = await vendorRig(next(first), server.url);
      const dispatcher = createDispatcher({ providers: [a.provider, b.provider], retry: { retries: 0 } });
      closers.push(async () => {
        await dispatcher.close();
        await a.served.close();
        await b.served.close();
        await server.close();
      });
      const reports = recordReports(dispatcher);
      const verifier = createVerifier({ dispatcher, secret: SECRET, store: createMemoryStore() });
      server.use(createWebhookHandler({ dispatcher, verifier, providers: [a.hook, b.hook] }));
      const resent = new Promise<ResentEvent>((resolve) => verifier.once('resent', resolve));

      const started = await verifier.start({ to: TO, reference: 'login-42' });
      expect(started.dispatch?.provider).toBe(first);
      const firstCode = lastCode(a);
      expect(
        await a.emulator.deliver(started.dispatch!.messageId, FIXTURES[first].statuses.undelivered),
      ).toEqual({ status: 204 });

      const event = await resent;
      expect(event).toMatchObject({
        to: TO,
        reference: 'login-42',
        reason: 'undelivered',
        previousProvider: first,
        provider: next(first),
        sends: 2,
      });
      expect(reports[0]).toMatchObject({ event: 'undelivered', provider: first, reference: 'login-42' });
      const code = lastCode(b);
      expect(code).toMatch(/^\d{6}$/);
      expect(code).not.toBe(firstCode);
      // A second undelivered receipt does not resend again: one resend per verification.
      await a.emulator.deliver(started.dispatch!.messageId, FIXTURES[first].statuses.undelivered);
      expect(b.emulator.accepted()).toBe(1);
      expect(await verifier.check({ to: TO, code: code! })).toMatchObject({ status: 'approved' });
    });
  }
});
