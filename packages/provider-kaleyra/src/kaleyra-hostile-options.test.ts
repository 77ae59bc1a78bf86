import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  anyValue,
  baselineHeaders,
  context,
  expectedFields,
  expectNoPollution,
  hostileString,
  numberish,
  optional,
  outcomeOf,
  SID,
  seen,
  settle,
} from './__fixtures__/hostile-setup.js';
import type { KaleyraProviderOptions } from './kaleyra-options.js';
import { createKaleyraProvider } from './kaleyra-provider.js';

// ---------------------------------------------------------------------------------------------------

const kaleyraOptionsArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        sid: fc.oneof({ weight: 3, arbitrary: fc.constant(SID) }, hostileString, anyValue),
        apiKey: fc.oneof(
          { weight: 3, arbitrary: fc.constant(API_KEY) },
          hostileString,
          fc.constant(`${API_KEY}\r\nX-Injected: yes`),
          anyValue,
        ),
        sender: optional(fc.oneof({ weight: 3, arbitrary: hostileString }, fc.constant('KLRHXA'), anyValue)),
        region: optional(fc.oneof(fc.constantFrom('in', 'ap', 'eu', 'us', 'IN', '__proto__'), anyValue)),
        baseUrl: optional(fc.oneof(hostileString, fc.webUrl(), anyValue)),
        templateId: optional(fc.oneof({ weight: 3, arbitrary: hostileString }, anyValue)),
        callbackUrl: optional(
          fc.oneof(
            hostileString,
            fc.webUrl(),
            fc.webUrl().map((url) => `${url}&to=%2B1\r\nX: y`),
            anyValue,
          ),
        ),
        timeoutMs: optional(numberish),
        requireTemplateIdForIndia: optional(fc.oneof(fc.boolean(), anyValue)),
        fetch: optional(anyValue),
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        `{"sid":"${SID}","apiKey":"${API_KEY}","__proto__":{"baseUrl":"http://evil.example","polluted":"yes"}}`,
        `{"__proto__":{"sid":"${SID}","apiKey":"${API_KEY}"}}`,
        `{"sid":"${SID}","apiKey":"${API_KEY}","constructor":{"prototype":{"polluted":"yes"}}}`,
        `{"sid":"${SID}","apiKey":"${API_KEY}","sender":"__proto__"}`,
        `{"sid":"${SID}","apiKey":"${API_KEY}","prototype":{"sender":"EVIL"}}`,
      )
      .map((text) => JSON.parse(text) as unknown),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, 0, SID, true, [], () => {}) },
  { weight: 1, arbitrary: anyValue },
);

describe('hostile Kaleyra options', () => {
  it('createKaleyraProvider builds a provider or refuses with INVALID_CONFIG, with no request; options cannot inject fields or headers', async () => {
    const tally = { built: 0, refused: 0, sent: 0 };
    await fc.assert(
      fc.asyncProperty(kaleyraOptionsArb, async (options) => {
        const before = seen.length;
        const result = outcomeOf(
          () => createKaleyraProvider(options as KaleyraProviderOptions),
          'INVALID_CONFIG',
        );
        expect(seen.length).toBe(before);
        if (!result.ok) {
          tally.refused++;
          expect(result.error.message).not.toContain(API_KEY);
        } else {
          tally.built++;
          expect(result.value.id).toBe('kaleyra');
          const config = options as KaleyraProviderOptions;
          // Sends to the default host (the one msw answers) show what the options put on the wire.
          if (config.baseUrl === undefined && config.region === undefined && config.fetch === undefined) {
            const message = { to: '+14155550123', body: 'Your code is 123456', templateId: undefined };
            const sent = await settle(result.value.send(message, context()), 'send');
            expect(sent.ok).toBe(true);
            tally.sent++;
            const request = seen.at(-1)!;
            expect(seen.length).toBe(before + 1);
            expect(request.fields).toEqual(
              expectedFields(
                { to: message.to, body: message.body },
                {
                  ...(config.sender === undefined ? {} : { sender: config.sender }),
                  ...(config.templateId === undefined ? {} : { templateId: config.templateId }),
                  ...(config.callbackUrl === undefined ? {} : { callbackUrl: config.callbackUrl }),
                },
              ),
            );
            expect(request.headers.map(([name]) => name).sort()).toEqual(baselineHeaders);
            expect(new Map(request.headers).get('api-key')).toBe(config.apiKey);
          }
        }
        expectNoPollution();
      }),
      { numRuns: 500 },
    );
    expect(tally.built).toBeGreaterThan(5);
    expect(tally.refused).toBeGreaterThan(100);
    expect(tally.sent).toBeGreaterThan(3);
    console.info(
      `kaleyra hostile options: ${tally.built} built (${tally.sent} sent), ${tally.refused} refused`,
    );
  });
});
