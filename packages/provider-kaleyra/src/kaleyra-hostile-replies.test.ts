import fc from 'fast-check';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  anyValue,
  context,
  expectNoPollution,
  hostileString,
  kaleyra,
  optional,
  setReply,
  settle,
} from './__fixtures__/hostile-setup.js';

// ---------------------------------------------------------------------------------------------------

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    // A BigInt or a cycle: no vendor sends that, but a broken body it may.
    return '{"id":';
  }
}

/** Header values a server can send: visible ASCII and spaces. */
const headerText = fc.string({ unit: fc.constantFrom(...' 0123456789.,:-+eENaTGMWedOct'), maxLength: 30 });

const replyArb = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 201, 202, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503),
    fc.integer({ min: 200, max: 599 }),
  ),
  body: fc.oneof(
    { weight: 3, arbitrary: anyValue.map(safeJson) },
    { weight: 2, arbitrary: hostileString },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{"id":"x","data":[{"message_id":"m:1"}],"__proto__":{"polluted":"yes"}}',
        '{"id":"x","data":[{"message_id":"m:1","__proto__":{"polluted":"yes"}}],"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"code":"__proto__","message":"x"}',
        '{"code":"constructor","message":"x"}',
        '{"code":"toString","message":"x"}',
        '{"code":"E413","message":"Your code is 123456 and key Ak-hostile-7c2e9b41d0"}',
        '{"id":"x","data":[]}',
        '{"id":"x","data":[{"message_id":""}]}',
        '{"id":"x","data":[{"message_id":"m:1"}],"createdDateTime":"not a date"}',
        '{"id":"x","data":[{"message_id":"m:1"}],"createdDateTime":"+275760-09-13 00:00:01+00:00"}',
        '{"id":"x","data":{"0":{"message_id":"m:1"},"length":1}}',
        'null',
        '[]',
        '"ok"',
        '',
        '<html>502</html>',
      ),
    },
  ),
  retryAfter: optional(
    fc.oneof(
      fc.constantFrom(
        '0',
        '1.5',
        '-1',
        'NaN',
        '1e9',
        '99999999999999999999',
        'Wed, 21 Oct 2015 07:28:00 GMT',
        '',
      ),
      headerText,
    ),
  ),
});

describe('hostile vendor replies', () => {
  it('any status and body ends the send with a receipt or an OtpError that leaks neither key nor body', async () => {
    const body = 'Your code is 123456';
    await fc.assert(
      fc.asyncProperty(replyArb, async ({ status, body: text, retryAfter }) => {
        setReply(() => {
          const headers = new Headers({ 'content-type': 'application/json' });
          if (typeof retryAfter === 'string') headers.set('retry-after', retryAfter);
          return new HttpResponse(text, { status, headers });
        });
        const result = await settle(kaleyra().send({ to: '+14155550123', body }, context()), 'send');
        if (result.ok) {
          expect(status).toBeGreaterThanOrEqual(200);
          expect(status).toBeLessThan(300);
          expect(typeof result.value.messageId).toBe('string');
          expect(result.value.messageId.length).toBeGreaterThan(0);
          expect(Number.isNaN(result.value.acceptedAt.getTime())).toBe(false);
        } else {
          const error = result.error as Error & { retryAfterMs?: number };
          expect(error.message).not.toContain(API_KEY);
          expect(error.message).not.toContain(body);
          expect(JSON.stringify(error)).not.toContain(API_KEY);
          if (error.retryAfterMs !== undefined) {
            expect(Number.isFinite(error.retryAfterMs)).toBe(true);
            expect(error.retryAfterMs).toBeGreaterThanOrEqual(0);
          }
        }
        expectNoPollution();
      }),
      { numRuns: 400 },
    );
  });
});
