import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyValue, expectNoPollution, hostileString, outcomeOf } from './__fixtures__/hostile-setup.js';
import { parseKaleyraDeliveryReport } from './kaleyra-delivery-report.js';

// ---------------------------------------------------------------------------------------------------

const REPORT_KEYS = [
  'message_id',
  'id',
  'msgid',
  'status',
  'dlr_status',
  'recipient',
  'mobile',
  'to',
  'number',
  'delivered_at',
  'datetime',
  'timestamp',
  'time',
  'dlr_time',
  'error_code',
  'reason',
  'err',
  'description',
  '__proto__',
  'constructor',
  'prototype',
];
const reportValue = fc.oneof(
  hostileString,
  fc.constantFrom('DELIVRD', 'delivered', 'UNDELIV', 'failed', 'sent', 'EXPIRED', ' delivered '),
  fc.constantFrom(
    '1572864143',
    '1572864143000',
    '2019-11-04 10:42:23',
    '2019-11-04T10:42:23Z',
    '99999999999999',
  ),
  fc.integer(),
  fc.double(),
  fc.array(hostileString, { maxLength: 3 }),
  anyValue,
);

const payloadArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...REPORT_KEYS), reportValue) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...REPORT_KEYS), hostileString), hostileString), {
        maxLength: 6,
      })
      .map((pairs) => new URLSearchParams(pairs)),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...REPORT_KEYS), hostileString), { maxLength: 5 })
      .map((pairs) => new URLSearchParams(pairs).toString()),
  },
  { weight: 1, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"message_id":"m-1","status":"DELIVRD","__proto__":{"polluted":"yes","errorCode":"E"}}',
        '{"__proto__":{"message_id":"m-1","status":"DELIVRD"}}',
        '{"id":"m-1","status":"__proto__"}',
        '{"id":"m-1","status":"constructor"}',
        '{"id":"m-1","status":"hasOwnProperty"}',
        '{"msgid":"m-1","constructor":{"prototype":{"polluted":"yes"}}}',
        '{"message_id":["m-1","m-2"],"status":["delivered"]}',
        '{"message_id":{"toString":"m-1"}}',
        '[["message_id","m-1"]]',
      )
      .map((text) => JSON.parse(text) as unknown),
  },
  { weight: 2, arbitrary: anyValue },
);

describe('hostile delivery reports', () => {
  it('parseKaleyraDeliveryReport returns a DeliveryReport or throws INVALID_INPUT', () => {
    const tally = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(payloadArb, (payload) => {
        const result = outcomeOf(() => parseKaleyraDeliveryReport(payload), 'INVALID_INPUT');
        if (result.ok) {
          tally.parsed++;
          const report = result.value;
          expect(report.provider).toBe('kaleyra');
          expect(typeof report.messageId).toBe('string');
          expect(report.messageId.length).toBeGreaterThan(0);
          expect(report.messageId).toBe(report.messageId.trim());
          expect(['delivered', 'undelivered', 'pending', 'unknown']).toContain(report.status);
          expect(typeof report.providerStatus).toBe('string');
          expect(report.at).toBeInstanceOf(Date);
          expect(Number.isNaN(report.at.getTime())).toBe(false);
          if (report.to !== undefined) expect(typeof report.to).toBe('string');
          if (report.errorCode !== undefined) expect(typeof report.errorCode).toBe('string');
          expect(Object.getPrototypeOf(report)).toBe(Object.prototype);
          expect(
            Object.keys(report).every((key) =>
              ['provider', 'messageId', 'to', 'status', 'providerStatus', 'at', 'errorCode'].includes(key),
            ),
          ).toBe(true);
        } else {
          tally.refused++;
        }
        expectNoPollution();
      }),
      { numRuns: 2000 },
    );
    console.info(`hostile delivery reports: ${tally.parsed} parsed, ${tally.refused} refused`);
    expect(tally.parsed).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(100);
  });
});
