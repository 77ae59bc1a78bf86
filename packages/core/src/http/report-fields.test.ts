import { describe, expect, it } from 'vitest';
import { deliveryStatusOf, pickField, reportFromFields } from '../http.js';

const spec = {
  provider: 'acme',
  messageId: ['message_id', 'id'],
  status: ['status'],
  statuses: { delivered: 'delivered', failed: 'undelivered' } as const,
  to: ['to'],
  errorCode: ['err'],
  noError: ['0'],
};

describe('reportFromFields', () => {
  const at = new Date('2026-01-01T00:00:00Z');

  it('reads the common fields: the first id field present, status meaning, a + on a digits-only number', () => {
    const fields = new Map([
      ['id', 'm-2'],
      ['status', ' Delivered '],
      ['to', '14155550123'],
      ['err', '12'],
    ]);
    expect(reportFromFields(fields, spec, at)).toEqual({
      provider: 'acme',
      messageId: 'm-2',
      status: 'delivered',
      providerStatus: ' Delivered ',
      at,
      to: '+14155550123',
      errorCode: '12',
    });
  });

  it('an unknown status is unknown; a "no error" code is left out; a prototype key is no status', () => {
    const report = reportFromFields(
      new Map([
        ['message_id', 'm'],
        ['status', 'constructor'],
        ['err', '0'],
      ]),
      spec,
      at,
    );
    expect(report).toEqual({
      provider: 'acme',
      messageId: 'm',
      status: 'unknown',
      providerStatus: 'constructor',
      at,
    });
  });

  it('no message id → INVALID_INPUT naming the fields tried, or what the vendor says', () => {
    expect(() => reportFromFields(new Map([['status', 'failed']]), spec)).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: 'acme: expected a delivery report with a message id (message_id, id)',
      }),
    );
    expect(() => reportFromFields(new Map(), { ...spec, expected: 'a callback with a Sid' })).toThrow(
      'acme: expected a callback with a Sid',
    );
  });

  it('pickField and deliveryStatusOf', () => {
    expect(pickField(new Map([['b', '2']]), ['a', 'b'])).toBe('2');
    expect(pickField(new Map(), ['a'])).toBeUndefined();
    expect(deliveryStatusOf(spec.statuses, 'FAILED')).toBe('undelivered');
    expect(deliveryStatusOf(spec.statuses, '__proto__')).toBe('unknown');
  });
});
