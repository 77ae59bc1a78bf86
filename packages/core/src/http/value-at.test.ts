import { describe, expect, it } from 'vitest';
import { valueAt } from '../http.js';

describe('valueAt', () => {
  const payload = { data: { payload: { id: 'm1', to: [{ status: 'delivered' }] } } };

  it('walks object keys and array indexes', () => {
    expect(valueAt(payload, 'data', 'payload', 'id')).toBe('m1');
    expect(valueAt(payload, 'data', 'payload', 'to', 0, 'status')).toBe('delivered');
    expect(valueAt(payload)).toBe(payload);
  });

  it('gives undefined for a missing step, a primitive, or an inherited property', () => {
    expect(valueAt(payload, 'data', 'missing', 'id')).toBeUndefined();
    expect(valueAt(payload, 'data', 'payload', 'to', 1, 'status')).toBeUndefined();
    expect(valueAt('text', 'length')).toBeUndefined();
    expect(valueAt(null, 'data')).toBeUndefined();
    expect(valueAt({}, 'constructor')).toBeUndefined();
    expect(valueAt({}, '__proto__')).toBeUndefined();
  });
});
