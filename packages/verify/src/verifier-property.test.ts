import { createDispatcher, isOtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECRET, T0 } from './__fixtures__/harness.js';
import { createVerifier } from './verifier.js';
import type { VerifierOptions } from './verifier-options.js';

const numbers = ['+14155550123', '+447911123456'];
const anyTo = fc.oneof(
  { arbitrary: fc.constantFrom(...numbers), weight: 8 },
  { arbitrary: fc.string(), weight: 1 },
  { arbitrary: fc.constantFrom('+1', '+0123456789', '', ' +14155550123'), weight: 1 },
);
const anyCode = fc.oneof(fc.stringMatching(/^\d{4,10}$/), fc.string({ maxLength: 20 }), fc.constant(''));

type Op =
  | { kind: 'start'; to: string; locale?: string; key?: string }
  | { kind: 'check'; to: string; code: string; useSent: boolean }
  | { kind: 'cancel'; to: string }
  | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        kind: fc.constant('start' as const),
        to: anyTo,
        locale: fc.constantFrom('en', 'pt-BR', 'zz-ZZ', 'en', 'x'),
        key: fc.constantFrom('a', 'b', 'a', 'b', ''),
      },
      { requiredKeys: ['kind', 'to'] },
    ),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('check' as const),
      to: anyTo,
      code: anyCode,
      useSent: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), to: anyTo }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(
        { weight: 5, arbitrary: fc.integer({ min: 0, max: 60_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 1_300_000 }) },
      ),
    }),
  },
);

const options = fc.record(
  {
    codeLength: fc.integer({ min: 4, max: 10 }),
    ttlMs: fc.integer({ min: 1_000, max: 1_200_000 }),
    maxAttempts: fc.integer({ min: 1, max: 8 }),
    resendAfterMs: fc.integer({ min: 0, max: 60_000 }),
    maxSends: fc.record({
      count: fc.integer({ min: 1, max: 6 }),
      windowMs: fc.integer({ min: 1_000, max: 1_200_000 }),
    }),
    maxSendsPerKey: fc.record({
      count: fc.integer({ min: 1, max: 6 }),
      windowMs: fc.integer({ min: 1_000, max: 1_200_000 }),
    }),
    pumpingGuard: fc.oneof(
      fc.constant(false),
      fc.record({
        minSends: fc.integer({ min: 1, max: 5 }),
        minConversion: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    ),
    blockedPrefixes: fc.constantFrom([], ['+44'], ['+9']),
  },
  { requiredKeys: [] },
);

describe('property: arbitrary numbers, codes and options', () => {
  it('throws nothing but OtpError, and approves no code that was not sent to that number', async () => {
    let approvals = 0;
    await fc.assert(
      fc.asyncProperty(options, fc.array(op, { minLength: 5, maxLength: 40 }), async (chosen, ops) => {
        const fake = createFakeProvider();
        const dispatcher = createDispatcher({ providers: [fake], retry: { retries: 0 } });
        let clock = T0;
        const verifier = createVerifier({
          dispatcher,
          secret: SECRET,
          now: () => clock,
          ...(chosen as Partial<VerifierOptions>),
        });
        const sent = new Map<string, Set<string>>();
        for (const step of ops) {
          try {
            if (step.kind === 'advance') clock += step.ms;
            else if (step.kind === 'cancel') await verifier.cancel(step.to);
            else if (step.kind === 'start') {
              const before = fake.messages.length;
              await verifier.start({
                to: step.to,
                ...(step.locale ? { locale: step.locale } : {}),
                ...(step.key !== undefined ? { key: step.key } : {}),
              });
              for (const message of fake.messages.slice(before)) {
                const code = /\d{4,10}/.exec(message.body)![0];
                if (!sent.has(message.to)) sent.set(message.to, new Set());
                sent.get(message.to)!.add(code);
              }
            } else {
              const known = [...(sent.get(step.to) ?? [])];
              const code = step.useSent && known.length > 0 ? known.at(-1)! : step.code;
              const result = await verifier.check({ to: step.to, code });
              expect(['approved', 'pending', 'expired', 'max_attempts_reached', 'not_found']).toContain(
                result.status,
              );
              expect(result.attemptsLeft).toBeGreaterThanOrEqual(0);
              if (result.status === 'approved') {
                approvals++;
                expect(sent.get(step.to)?.has(code)).toBe(true);
              }
            }
          } catch (error) {
            if (!isOtpError(error)) throw error;
          }
        }
        await dispatcher.close();
      }),
      { numRuns: 150 },
    );
    // The runs reached approvals, so the property was tested, not skipped.
    expect(approvals).toBeGreaterThan(10);
  });

  it('createVerifier with arbitrary option values throws only OtpError INVALID_CONFIG', () => {
    const dispatcher = createDispatcher({ providers: [createFakeProvider()] });
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'codeLength',
            'ttlMs',
            'maxAttempts',
            'resendAfterMs',
            'maxSends',
            'messages',
            'webOtp',
            'appHash',
            'testNumbers',
            'testNumbersValidUntil',
            'prefixLimits',
            'pumpingGuard',
            'store',
            'now',
            'secret',
            'other',
          ),
          fc.anything(),
        ),
        (values) => {
          try {
            createVerifier({ dispatcher, secret: SECRET, ...values } as VerifierOptions);
          } catch (error) {
            expect(isOtpError(error, 'INVALID_CONFIG')).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
