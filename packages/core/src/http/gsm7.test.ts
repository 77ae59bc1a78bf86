import { describe, expect, it } from 'vitest';
import { GSM7_CHARSET, isGsm7 } from '../http.js';

describe('isGsm7', () => {
  it('takes the basic set and the extension table, nothing else', () => {
    expect(isGsm7('Your code is 123456. Ça va? ¿Qué? €5 [ok] {x} ~|^\\')).toBe(true);
    expect(isGsm7(GSM7_CHARSET.basic + GSM7_CHARSET.extension)).toBe(true);
    expect(isGsm7('')).toBe(true);
    for (const text of ['कोड 123456', 'code 😀', 'ç', 'naïve', '`']) expect(isGsm7(text)).toBe(false);
  });
});
