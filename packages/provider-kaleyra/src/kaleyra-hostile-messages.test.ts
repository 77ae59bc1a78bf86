import { createDispatcher, type OtpMessage, validateMessage } from '@otpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyValue,
  brokenNumber,
  brokenUnicode,
  context,
  digits,
  e164,
  expectCleanRequest,
  expectedFields,
  expectNoPollution,
  hostileString,
  kaleyra,
  optional,
  PROVIDER_CONFIGS,
  seen,
  settle,
} from './__fixtures__/hostile-setup.js';

const messageArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        to: fc.oneof(
          { weight: 5, arbitrary: e164 },
          { weight: 2, arbitrary: brokenNumber },
          hostileString,
          anyValue,
        ),
        body: fc.oneof(
          { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 160 }) },
          { weight: 3, arbitrary: hostileString },
          brokenUnicode,
          anyValue,
        ),
        sender: optional(fc.oneof({ weight: 4, arbitrary: hostileString }, brokenUnicode, anyValue)),
        templateId: optional(fc.oneof({ weight: 4, arbitrary: hostileString }, brokenUnicode, anyValue)),
        callbackUrl: optional(
          fc.oneof(
            hostileString,
            fc.webUrl({ withQueryParameters: true, withFragments: true }),
            fc.webUrl().map((url) => `${url}?a=1&body=x&to=%2B1`),
            fc.webUrl().map((url) => `${url}\r\nX-Injected: yes`),
            brokenUnicode.map((text) => `https://example.com/${text}`),
          ),
        ),
        reference: optional(fc.oneof(hostileString, brokenUnicode)),
      },
      { requiredKeys: ['to', 'body'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"to":"+14155550123","body":"Your code is 123456","__proto__":{"sender":"EVIL","polluted":"yes"}}',
        '{"__proto__":{"to":"+14155550123","body":"x"}}',
        '{"to":"+14155550123","body":"x","constructor":{"prototype":{"polluted":"yes"}}}',
        '{"to":"+14155550123","body":"x","template_id":"INJ","callback":"http://evil.example"}',
        '{"to":"+14155550123","body":"x","type":"TXN","api-key":"other"}',
      )
      .map((text) => JSON.parse(text) as unknown),
  },
  { weight: 1, arbitrary: anyValue },
);

describe('hostile messages through the Kaleyra provider', () => {
  it('refused before any request with INVALID_INPUT, or sent with exactly the expected form and headers', async () => {
    const tally = { sent: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        messageArb,
        fc.constantFrom(...PROVIDER_CONFIGS),
        fc.boolean(),
        async (input, config, viaDispatcher) => {
          const before = seen.length;
          const provider = kaleyra(config);
          const pending = viaDispatcher
            ? createDispatcher({ providers: [provider], retry: { retries: 0 } }).send(input as OtpMessage)
            : provider.send(input as OtpMessage, context());
          const result = await settle(pending, 'send', 'INVALID_INPUT');
          if (!result.ok) {
            tally.refused++;
            expect(seen.length, 'a refused message made a request').toBe(before);
          } else {
            tally.sent++;
            expect(seen.length).toBe(before + 1);
            const message = validateMessage(input);
            expect(result.value.to).toBe(message.to);
            expectCleanRequest(seen.at(-1)!, expectedFields(message, config));
            // What was sent is what the app gave, field by field.
            const record = input as Record<string, unknown>;
            expect(message.to).toBe(record.to);
            expect(message.body).toBe(record.body);
          }
          expectNoPollution();
        },
      ),
      { numRuns: 600 },
    );
    expect(tally.sent).toBeGreaterThan(20);
    expect(tally.refused).toBeGreaterThan(100);
    console.info(`kaleyra hostile messages: ${tally.sent} sent, ${tally.refused} refused`);
  });

  it('refuses +91 numbers without a DLT template id before any request', async () => {
    await fc.assert(
      fc.asyncProperty(digits(8, 10), async (rest) => {
        const before = seen.length;
        const result = await settle(
          kaleyra().send({ to: `+91${rest}`, body: 'Your code is 123456' }, context()),
          'send',
          'INVALID_INPUT',
        );
        expect(result.ok).toBe(false);
        expect(seen.length).toBe(before);
      }),
      { numRuns: 50 },
    );
  });
});
