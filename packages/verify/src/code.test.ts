import { describe, expect, it } from 'vitest';
import { generateCode } from './code.js';

/** Chi-square critical value for 9 degrees of freedom at p = 0.0001: a fair generator fails 1 run in 10 000 per position. */
const CHI_SQUARE_9_DF_P_0_0001 = 33.72;

describe('generateCode', () => {
  it('makes codes of exactly length decimal digits, leading zeros kept', () => {
    for (const length of [4, 6, 8, 10]) {
      for (let i = 0; i < 200; i++) expect(generateCode(length)).toMatch(new RegExp(`^\\d{${length}}$`));
    }
    const zeros = (bytes: Uint8Array) => bytes.fill(0);
    expect(generateCode(6, zeros)).toBe('000000');
  });

  it('passes a chi-square test of uniformity per digit position over 20 000 codes', () => {
    const length = 6;
    const count = 20_000;
    const tallies = Array.from({ length }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < count; i++) {
      const code = generateCode(length);
      for (let position = 0; position < length; position++)
        tallies[position]![code.charCodeAt(position) - 48]!++;
    }
    const expected = count / 10;
    for (const tally of tallies) {
      const chiSquare = tally.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
      expect(chiSquare).toBeLessThan(CHI_SQUARE_9_DF_P_0_0001);
    }
  });

  it('throws away bytes of 250 and more (rejection sampling): every byte value equally often gives every digit equally often', () => {
    // A source that cycles through all 256 byte values: `byte % 10` alone would give 0–5 26 times
    // and 6–9 25 times per cycle; rejection sampling gives each digit 25 times.
    let next = 0;
    const cycle = (bytes: Uint8Array) => {
      for (let i = 0; i < bytes.length; i++) bytes[i] = next++ % 256;
    };
    const counts = new Array<number>(10).fill(0);
    const code = Array.from({ length: 250 }, () => generateCode(10, cycle)).join('');
    for (const digit of code) counts[Number(digit)]!++;
    expect(new Set(counts).size).toBe(1);
  });

  it('draws again when a whole pool is rejected', () => {
    let calls = 0;
    const rejectFirst = (bytes: Uint8Array) => {
      bytes.fill(calls++ === 0 ? 255 : 7);
    };
    expect(generateCode(4, rejectFirst)).toBe('7777');
    expect(calls).toBe(2);
  });
});
