import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSafely,
  defaultPortVariants,
  isFreshTimestamp,
  requireSigningKey,
  safeEqual,
  sortedFormFields,
} from '../http.js';

describe('signature helpers', () => {
  it('safeEqual compares whole strings, of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => safeEqual(a, b) === (a === b)));
  });

  it('requireSigningKey refuses a missing key with INVALID_CONFIG, naming the field', () => {
    expect(requireSigningKey('acme', 'secret', 's3', 'your secret')).toBe('s3');
    for (const bad of ['', undefined, null, 42]) {
      expect(() => requireSigningKey('acme', 'secret', bad, 'your secret')).toThrow(
        expect.objectContaining({
          code: 'INVALID_CONFIG',
          provider: 'acme',
          message: 'secret: expected your secret, a non-empty string',
        }),
      );
    }
  });

  it('checkSafely answers false for whatever a check throws', () => {
    expect(checkSafely(() => true)).toBe(true);
    expect(checkSafely(() => false)).toBe(false);
    expect(
      checkSafely(() => {
        throw new Error('a getter threw');
      }),
    ).toBe(false);
  });

  it('sortedFormFields: names sorted, distinct values sorted, non-form values refused', () => {
    expect(sortedFormFields(new URLSearchParams('b=2&a=1&b=1&b=2'))).toEqual([
      ['a', ['1']],
      ['b', ['1', '2']],
    ]);
    expect(sortedFormFields({ z: 3, y: ['q', 'p'], skip: undefined })).toEqual([
      ['y', ['p', 'q']],
      ['z', ['3']],
    ]);
    expect(sortedFormFields(undefined)).toEqual([]);
    expect(sortedFormFields({ a: { b: '1' } } as never)).toBeUndefined();
    expect(sortedFormFields({ a: Number.NaN })).toBeUndefined();
    expect(sortedFormFields('a=1' as never)).toBeUndefined();
  });

  it('defaultPortVariants adds or removes the default port only', () => {
    expect(defaultPortVariants('https://a.example/x?y=1')).toEqual([
      'https://a.example/x?y=1',
      'https://a.example:443/x?y=1',
    ]);
    expect(defaultPortVariants('http://u@a.example:80/x')).toEqual([
      'http://u@a.example:80/x',
      'http://u@a.example/x',
    ]);
    expect(defaultPortVariants('https://[::1]:8443/x')).toEqual(['https://[::1]:8443/x']);
    expect(defaultPortVariants('ftp://a.example/x')).toEqual(['ftp://a.example/x']);
    expect(defaultPortVariants('not a url')).toEqual(['not a url']);
  });

  it('isFreshTimestamp: Unix seconds within the window either side', () => {
    const now = 1_700_000_000_000;
    expect(isFreshTimestamp('1700000000', 1000, now)).toBe(true);
    expect(isFreshTimestamp(1_700_000_060, 60_000, now)).toBe(true);
    expect(isFreshTimestamp('1699999939', 60_000, now)).toBe(false);
    expect(isFreshTimestamp('1700000061', 60_000, now)).toBe(false);
    for (const bad of [undefined, '', '17e8', '-1', '1.5', ' '])
      expect(isFreshTimestamp(bad, 60_000, now)).toBe(false);
    expect(isFreshTimestamp(undefined, Number.POSITIVE_INFINITY, now)).toBe(true);
  });
});
