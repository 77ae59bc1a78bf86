import { describe, expect, it, vi } from 'vitest';

// Every comparison of a code goes through crypto.timingSafeEqual: count the calls and what they compare.
const compared = vi.hoisted(() => ({ calls: [] as [number, number][] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.calls.push([a.byteLength, b.byteLength]);
      return crypto.timingSafeEqual(a, b);
    },
  };
});

const { harness, TO } = await import('./__fixtures__/harness.js');

describe('check compares in constant time', () => {
  it('compares the 32-byte HMACs with timingSafeEqual for every stored code, whatever the code given', async () => {
    const h = harness({ resendAfterMs: 0 });
    await h.verifier.start({ to: TO });
    await h.verifier.start({ to: TO });
    for (const code of ['1', '12345678901234567890', 'abcdef', '', h.code()]) {
      compared.calls.length = 0;
      await h.verifier.check({ to: TO, code });
      // Two codes stored: both compared, each as 32 bytes against 32 bytes, right code or not.
      expect(compared.calls).toEqual([
        [32, 32],
        [32, 32],
      ]);
    }
  });
});
