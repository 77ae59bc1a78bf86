import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isOtpError } from '@otpkit/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseVonageDeliveryReport } from './vonage-delivery-report.js';
import {
  signVonageParams,
  VONAGE_SIGNATURE_MAX_AGE_MS,
  type VonageSignatureAlgorithm,
  verifyVonageSignature,
} from './vonage-signature.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

// The Node SDK's vectors (packages/sms/__tests__/__dataSets__/signature.ts), recomputed in the notes.
const VECTORS = JSON.parse(
  readFileSync(new URL('./__fixtures__/signature-vectors.json', import.meta.url), 'utf8'),
) as {
  secret: string;
  params: Record<string, string>;
  signed: string;
  signatures: Record<VonageSignatureAlgorithm, string>;
};
const { secret, params } = VECTORS;
const SIGNED_AT = Number(params.timestamp) * 1000;
const ALL = Object.entries(VECTORS.signatures) as [VonageSignatureAlgorithm, string][];

afterEach(() => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
});

describe('the vectors', () => {
  it('cover all five methods', () => {
    expect(ALL.map(([algorithm]) => algorithm).sort()).toEqual([
      'md5',
      'md5hash',
      'sha1',
      'sha256',
      'sha512',
    ]);
  });

  it('sign the documented string', () => {
    // md5hash is md5(string + secret): the string is exactly the notes' one.
    const md5 = crypto
      .createHash('md5')
      .update(VECTORS.signed + secret)
      .digest('hex');
    expect(md5).toBe(VECTORS.signatures.md5hash);
  });

  it.each(ALL)('%s: signVonageParams gives %s', (algorithm, signature) => {
    expect(signVonageParams(params, { secret, algorithm })).toBe(signature.toUpperCase());
  });

  it('md5hash is the default method', () => {
    expect(signVonageParams(params, { secret })).toBe(VECTORS.signatures.md5hash.toUpperCase());
  });

  it.each(ALL)(
    '%s: verifyVonageSignature accepts the signed receipt, in every payload shape',
    (algorithm, sig) => {
      const signed = { ...params, sig };
      const options = { secret, algorithm, now: SIGNED_AT };
      expect(verifyVonageSignature(signed, options)).toBe(true);
      expect(verifyVonageSignature(new URLSearchParams(signed), options)).toBe(true);
      expect(verifyVonageSignature(new URLSearchParams(signed).toString(), options)).toBe(true);
      expect(verifyVonageSignature(JSON.stringify(signed), options)).toBe(true);
      // Whatever the case of the hex digits.
      expect(verifyVonageSignature({ ...params, sig: sig.toLowerCase() }, options)).toBe(true);
      expect(verifyVonageSignature({ ...params, sig: sig.toUpperCase() }, options)).toBe(true);
      // The order the fields arrive in does not matter.
      const reversed = Object.fromEntries(Object.entries(signed).reverse());
      expect(verifyVonageSignature(reversed, options)).toBe(true);
    },
  );

  it.each(ALL)('%s: refuses a changed field, another secret, another method', (algorithm, sig) => {
    const options = { secret, algorithm, now: SIGNED_AT };
    expect(verifyVonageSignature({ ...params, sig, status: 'delivered' }, options)).toBe(false);
    expect(verifyVonageSignature({ ...params, sig, msisdn: '14843472195' }, options)).toBe(false);
    expect(verifyVonageSignature({ ...params, sig }, { ...options, secret: `${secret}x` })).toBe(false);
    const other = algorithm === 'sha256' ? 'sha512' : 'sha256';
    expect(verifyVonageSignature({ ...params, sig }, { ...options, algorithm: other })).toBe(false);
    // Truncated, padded, or not hex.
    expect(verifyVonageSignature({ ...params, sig: sig.slice(0, -1) }, options)).toBe(false);
    expect(verifyVonageSignature({ ...params, sig: `${sig}0` }, options)).toBe(false);
    expect(verifyVonageSignature({ ...params, sig: `${sig.slice(0, -1)}g` }, options)).toBe(false);
  });
});

describe('verifyVonageSignature', () => {
  const sig = VECTORS.signatures.md5hash;

  it('compares in constant time (timingSafeEqual)', () => {
    expect(verifyVonageSignature({ ...params, sig }, { secret, now: SIGNED_AT })).toBe(true);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(verifyVonageSignature({ ...params, sig: 'D'.repeat(32) }, { secret, now: SIGNED_AT })).toBe(false);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(2);
  });

  it(`refuses a timestamp more than ${VONAGE_SIGNATURE_MAX_AGE_MS} ms from now, either way`, () => {
    expect(VONAGE_SIGNATURE_MAX_AGE_MS).toBe(300_000);
    const signed = { ...params, sig };
    expect(verifyVonageSignature(signed, { secret, now: SIGNED_AT + 300_000 })).toBe(true);
    expect(verifyVonageSignature(signed, { secret, now: SIGNED_AT + 300_001 })).toBe(false);
    expect(verifyVonageSignature(signed, { secret, now: SIGNED_AT - 300_001 })).toBe(false);
    expect(verifyVonageSignature(signed, { secret, now: SIGNED_AT + 10_000, maxAgeMs: 5000 })).toBe(false);
    // The vectors are from 2013: with the real clock they are stale.
    expect(verifyVonageSignature(signed, { secret })).toBe(false);
    expect(verifyVonageSignature(signed, { secret, maxAgeMs: Number.POSITIVE_INFINITY })).toBe(true);
  });

  it('refuses a payload without sig or without timestamp', () => {
    expect(verifyVonageSignature(params, { secret, now: SIGNED_AT })).toBe(false);
    expect(verifyVonageSignature({ ...params, sig: '' }, { secret, now: SIGNED_AT })).toBe(false);
    const { timestamp: _, ...unstamped } = params;
    const unstampedSig = signVonageParams(unstamped, { secret });
    expect(verifyVonageSignature({ ...unstamped, sig: unstampedSig }, { secret, now: SIGNED_AT })).toBe(
      false,
    );
    expect(
      verifyVonageSignature(
        { ...unstamped, sig: unstampedSig },
        { secret, maxAgeMs: Number.POSITIVE_INFINITY },
      ),
    ).toBe(true);
  });

  it('refuses garbage without throwing', () => {
    for (const payload of [null, undefined, 42, [], '', '{broken', {}]) {
      expect(verifyVonageSignature(payload, { secret, now: SIGNED_AT })).toBe(false);
    }
  });

  it('throws INVALID_CONFIG for an empty secret (anyone could sign with it) or an unknown method', () => {
    for (const options of [
      { secret: '' },
      { secret: undefined as unknown as string },
      { secret, algorithm: 'sha384' as VonageSignatureAlgorithm },
      { secret, maxAgeMs: -1 },
      { secret, maxAgeMs: Number.NaN },
    ]) {
      let thrown: unknown;
      try {
        verifyVonageSignature({ ...params, sig }, options);
      } catch (error) {
        thrown = error;
      }
      expect(isOtpError(thrown, 'INVALID_CONFIG'), JSON.stringify(options)).toBe(true);
    }
    expect(() => signVonageParams(params, { secret: '' })).toThrow(/secret/);
  });

  it('replaces & and = in values with _, and signs empty values too', () => {
    const tricky = { messageId: 'ID1', text: 'a&b=c', 'client-ref': '', timestamp: params.timestamp! };
    const expected = crypto
      .createHash('md5')
      .update(`&client-ref=&messageId=ID1&text=a_b_c&timestamp=${params.timestamp}${secret}`)
      .digest('hex')
      .toUpperCase();
    expect(signVonageParams(tricky, { secret })).toBe(expected);
    const form = new URLSearchParams({ ...tricky, sig: expected }).toString();
    expect(verifyVonageSignature(form, { secret, now: SIGNED_AT })).toBe(true);
  });

  it('checks a signed receipt before it is parsed: the handler flow', () => {
    const receipt = { ...params, status: 'delivered', 'err-code': '0' };
    const signed = new URLSearchParams({
      ...receipt,
      sig: signVonageParams(receipt, { secret, algorithm: 'sha256' }),
    });
    expect(verifyVonageSignature(signed, { secret, algorithm: 'sha256', now: SIGNED_AT })).toBe(true);
    expect(parseVonageDeliveryReport(signed)).toMatchObject({
      messageId: '020000001B0FE827',
      to: '+14843472194',
      status: 'delivered',
      at: new Date('2013-11-21T15:27:30Z'),
    });
  });
});

describe('verifyVonageSignature never throws on what a caller sends', () => {
  const secret = 'vonage-hostile-signature-secret';
  const now = Date.parse('2024-05-01T12:00:00Z');
  const timestamp = String(Math.floor(now / 1000));

  it('a Map holding numbers, a numeric timestamp, or odd keys: checked or false, never a throw', () => {
    const fields = { messageId: '0A0000001234', status: 'delivered', timestamp };
    const sig = signVonageParams(fields, { secret });
    const map = new Map<unknown, unknown>([
      ['messageId', '0A0000001234'],
      ['status', 'delivered'],
      ['timestamp', Number(timestamp)],
      ['sig', sig],
    ]);
    expect(verifyVonageSignature(map, { secret, now })).toBe(true);
    expect(verifyVonageSignature({ ...fields, timestamp: Number(timestamp), sig }, { secret, now })).toBe(
      true,
    );
    const odd = new Map<unknown, unknown>([
      [42, 'x'],
      [Symbol('s'), 'y'],
      ['sig', 12],
      ['timestamp', { n: 1 }],
    ]);
    expect(verifyVonageSignature(odd, { secret, now })).toBe(false);
  });

  it('a Proxy or a getter that throws is false', () => {
    const trap = () => {
      throw new Error('trap');
    };
    expect(verifyVonageSignature(new Proxy({}, { ownKeys: trap, get: trap }), { secret, now })).toBe(false);
    const getter = Object.defineProperty({}, 'sig', { enumerable: true, get: trap });
    expect(verifyVonageSignature(getter, { secret, now })).toBe(false);
  });

  it('over arbitrary payloads: a boolean, never a throw', () => {
    const payloads = fc.oneof(
      fc.anything(),
      fc.dictionary(fc.string(), fc.anything()).map((entries) => new Map(Object.entries(entries))),
      fc.dictionary(fc.string(), fc.anything()),
    );
    fc.assert(
      fc.property(payloads, (payload) => {
        expect(typeof verifyVonageSignature(payload, { secret, now })).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
