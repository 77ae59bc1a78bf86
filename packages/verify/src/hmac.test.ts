import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCodeKey, hashCode, secretLength } from './hmac.js';

const key = createCodeKey('s'.repeat(32));

describe('hashCode', () => {
  it('is HMAC-SHA256 under the secret of the number, a NUL and the code, in base64url', () => {
    const expected = createHmac('sha256', 's'.repeat(32))
      .update('+14155550123\u0000482913')
      .digest('base64url');
    expect(hashCode(key, '+14155550123', '482913')).toBe(expected);
    expect(hashCode(key, '+14155550123', '482913')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('binds the code to its number: the same digits split differently hash apart', () => {
    expect(hashCode(key, '+1415555012', '3482913')).not.toBe(hashCode(key, '+14155550123', '482913'));
    expect(hashCode(key, '+14155550124', '482913')).not.toBe(hashCode(key, '+14155550123', '482913'));
  });

  it('depends on the secret, string or bytes alike', () => {
    const bytes = createCodeKey(new Uint8Array(Buffer.from('s'.repeat(32))));
    expect(hashCode(bytes, '+14155550123', '482913')).toBe(hashCode(key, '+14155550123', '482913'));
    expect(hashCode(createCodeKey('t'.repeat(32)), '+14155550123', '482913')).not.toBe(
      hashCode(key, '+14155550123', '482913'),
    );
  });

  it('hashes at most 64 characters of a code, so a huge input costs little and still never matches', () => {
    const long = `482913${'9'.repeat(100_000)}`;
    expect(hashCode(key, '+14155550123', long)).toBe(hashCode(key, '+14155550123', long.slice(0, 64)));
    expect(hashCode(key, '+14155550123', long)).not.toBe(hashCode(key, '+14155550123', '482913'));
  });

  it('secretLength counts the bytes of a string in UTF-8', () => {
    expect(secretLength('é'.repeat(16))).toBe(32);
    expect(secretLength(new Uint8Array(31))).toBe(31);
  });

  it('the key object does not show the secret when inspected', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(createCodeKey('my-secret-value-that-is-32-bytes!'))).not.toContain('my-secret');
  });
});
