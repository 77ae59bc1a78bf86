import { describe, expect, it } from 'vitest';
import { destinationPrefix } from './destination-prefix.js';

describe('destinationPrefix', () => {
  it.each([
    ['+14155550123', '+1'],
    ['+79161234567', '+7'],
    ['+919876543210', '+91'],
    ['+447700900000', '+44'],
    ['+3545511234', '+354'],
    ['+2348031234567', '+234'],
    ['+8613800138000', '+86'],
  ])('%s → %s', (to, prefix) => {
    expect(destinationPrefix(to)).toBe(prefix);
  });

  it('a configured length, never within 4 digits of the whole number', () => {
    expect(destinationPrefix('+919876543210', 4)).toBe('+9198');
    expect(destinationPrefix('+919876543210', 6)).toBe('+919876');
    expect(destinationPrefix('+1415555', 6)).toBe('+141');
  });

  it('anything that is not E.164 is "unknown"', () => {
    for (const value of ['4155550123', '+0123456789', '', undefined, 42, '+1 415 555 0123']) {
      expect(destinationPrefix(value)).toBe('unknown');
    }
  });
});
