import { isOtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyValue,
  expectNoPollution,
  hostileString,
  numberish,
  optional,
  outcomeOf,
  settle,
  warnings,
} from './__fixtures__/hostile-setup.js';

// ---------------------------------------------------------------------------------------------------

const fakeOptionsArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        id: optional(fc.oneof({ weight: 2, arbitrary: fc.constant('fake') }, hostileString, anyValue)),
        latencyMs: optional(fc.oneof(fc.integer({ min: 0, max: 20 }), numberish, fc.constant(2 ** 31))),
        codePattern: optional(fc.oneof(fc.constantFrom(/\d{6}/, /\b\d+\b/g, /x/y), hostileString, anyValue)),
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"__proto__":{"latencyMs":-1,"polluted":"yes"}}',
        '{"id":"__proto__"}',
        '{"constructor":{}}',
      )
      .map((text) => JSON.parse(text) as unknown),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, 0, 'fake', true, [], () => {}) },
  { weight: 1, arbitrary: anyValue },
);

describe('hostile fake-provider options', () => {
  it('createFakeProvider builds a working fake or refuses with INVALID_CONFIG; nothing else', async () => {
    const tally = { built: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fakeOptionsArb, async (options) => {
        const warned = warnings.length;
        const result = outcomeOf(() => createFakeProvider(options as never), 'INVALID_CONFIG');
        if (!result.ok) {
          tally.refused++;
        } else {
          tally.built++;
          const fake = result.value;
          const to = '+14155550123';
          // A long latency is honoured: the caller's abort ends the wait.
          const signal = AbortSignal.timeout(50);
          const sent = await settle(
            fake.send({ to, body: 'Your code is 123456' }, { signal, attempt: 1 }),
            'send',
          );
          if (sent.ok)
            expect(fake.lastCode(to) === undefined || typeof fake.lastCode(to) === 'string').toBe(true);
          else expect(isOtpError(sent.error, 'ABORTED') || isOtpError(sent.error, 'TIMEOUT')).toBe(true);
        }
        expect(warnings.slice(warned).map((w) => `${w.name}: ${w.message}`)).toEqual([]);
        expectNoPollution();
      }),
      { numRuns: 300 },
    );
    expect(tally.built).toBeGreaterThan(20);
    expect(tally.refused).toBeGreaterThan(20);
    console.info(`fake hostile options: ${tally.built} built, ${tally.refused} refused`);
  });
});
