import { describe, expect, it } from 'vitest';
import { webhookHeader } from '../http.js';

describe('webhookHeader', () => {
  it('finds a header in Headers or an object, in any case', () => {
    expect(webhookHeader(new Headers({ 'X-Sig': 'abc' }), 'x-sig')).toBe('abc');
    expect(webhookHeader({ 'X-Sig': 'abc' }, 'x-sig')).toBe('abc');
    expect(webhookHeader({ 'x-sig': 'abc' }, 'X-SIG')).toBe('abc');
    expect(webhookHeader({ 'x-sig': '' }, 'x-sig')).toBe('');
  });

  it('gives undefined for a missing or repeated header, or one that is not text', () => {
    expect(webhookHeader({}, 'x-sig')).toBeUndefined();
    expect(webhookHeader(new Headers(), 'x-sig')).toBeUndefined();
    expect(webhookHeader({ 'x-sig': ['a', 'b'] }, 'x-sig')).toBeUndefined();
    expect(webhookHeader({ 'x-sig': undefined }, 'x-sig')).toBeUndefined();
    expect(webhookHeader({ 'x-sig': 42 } as never, 'x-sig')).toBeUndefined();
  });

  it('takes the first spelling when an object holds several', () => {
    expect(webhookHeader({ 'X-Sig': 'first', 'x-sig': 'second' }, 'x-sig')).toBe('first');
  });
});
