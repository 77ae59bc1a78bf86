import { randomFillSync } from 'node:crypto';

/** Fills a buffer with random bytes: `crypto.randomFillSync` unless a test gives its own source. */
export type RandomSource = (bytes: Uint8Array) => void;

/** Bytes below this are used, the rest drawn again: 250 is the largest multiple of 10 that fits a byte. */
const LIMIT = 250;

/**
 * Draws a code of `length` decimal digits, each uniform over 0–9: every random byte of 250 or more is
 * thrown away and drawn again (rejection sampling), so `byte % 10` favours no digit. Leading zeros are
 * kept: codes are strings.
 */
export function generateCode(length: number, random: RandomSource = randomFillSync): string {
  const pool = new Uint8Array(length + 8);
  let code = '';
  while (code.length < length) {
    random(pool);
    for (let index = 0; index < pool.length && code.length < length; index++) {
      const byte = pool[index]!;
      if (byte < LIMIT) code += String.fromCharCode(48 + (byte % 10));
    }
  }
  return code;
}
