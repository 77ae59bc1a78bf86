import { randomBytes } from 'node:crypto';
import { isOtpError } from '@otpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/sinch-setup.js';
import { SINCH_SIGNATURE_MAX_AGE_MS, signSinchCallback, verifySinchSignature } from './sinch-signature.js';

// The SDK is loaded by a specifier held in a variable, so that its type declarations (which do not
// compile with skipLibCheck off: they need jest's and node-fetch's) stay out of the type check.
interface SinchSdk {
  SmsCallbackWebhooks: new (
    secret: string,
  ) => {
    validateAuthenticationHeader(
      headers: Record<string, string>,
      body: string,
      path: string,
      method: string,
    ): boolean;
  };
  validateWebhookSignature(secret: string, headers: Record<string, string>, body: string): boolean;
}
const sdkName = '@sinch/sdk-core';
const { SmsCallbackWebhooks, validateWebhookSignature } = (await import(sdkName)) as SinchSdk;

interface Vector {
  source: string;
  secret: string;
  nonce: string;
  timestamp: string;
  body: string;
  signature: string;
}
const vectors = JSON.parse(fixture('signature-vectors.json')) as Vector[];
const vector = vectors[0]!;
const headersOf = (v: Omit<Vector, 'secret' | 'body' | 'source'>) => ({
  'x-sinch-webhook-signature': v.signature,
  'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
  'x-sinch-webhook-signature-nonce': v.nonce,
  'x-sinch-webhook-signature-timestamp': v.timestamp,
});
const at = (timestamp: string) => Number(timestamp) * 1000;

describe('the published vectors', () => {
  it.each(vectors.map((v) => [v.source, v] as const))('%s', (_, v) => {
    expect(signSinchCallback(v.body, v)).toBe(v.signature);
    const options = { secret: v.secret, now: at(v.timestamp) };
    expect(verifySinchSignature(v.body, headersOf(v), options)).toBe(true);
    expect(verifySinchSignature(Buffer.from(v.body), new Headers(headersOf(v)), options)).toBe(true);
  });
});

describe('verifySinchSignature', () => {
  const options = { secret: vector.secret, now: at(vector.timestamp) };
  const headers = headersOf(vector);

  it('refuses a changed body, nonce, timestamp or secret, and a missing header', () => {
    expect(verifySinchSignature(`${vector.body} `, headers, options)).toBe(false);
    expect(
      verifySinchSignature(vector.body, { ...headers, 'x-sinch-webhook-signature-nonce': 'x' }, options),
    ).toBe(false);
    const later = String(Number(vector.timestamp) + 1);
    expect(
      verifySinchSignature(
        vector.body,
        { ...headers, 'x-sinch-webhook-signature-timestamp': later },
        options,
      ),
    ).toBe(false);
    expect(verifySinchSignature(vector.body, headers, { ...options, secret: 'other' })).toBe(false);
    for (const name of Object.keys(headers).filter((key) => !key.endsWith('algorithm'))) {
      const { [name as keyof typeof headers]: _, ...rest } = headers;
      expect(verifySinchSignature(vector.body, rest, options)).toBe(false);
    }
  });

  it('takes headers in any case, a repeated header by its first value, and no algorithm header', () => {
    const upper = Object.fromEntries(Object.entries(headers).map(([k, value]) => [k.toUpperCase(), [value]]));
    expect(verifySinchSignature(vector.body, upper, options)).toBe(true);
    const { 'x-sinch-webhook-signature-algorithm': _, ...bare } = headers;
    expect(verifySinchSignature(vector.body, bare, options)).toBe(true);
    expect(
      verifySinchSignature(
        vector.body,
        { ...headers, 'x-sinch-webhook-signature-algorithm': 'HmacSHA1' },
        options,
      ),
    ).toBe(false);
  });

  it(`refuses a timestamp older or newer than maxAgeMs (default ${SINCH_SIGNATURE_MAX_AGE_MS} ms)`, () => {
    const now = at(vector.timestamp);
    expect(
      verifySinchSignature(vector.body, headers, { ...options, now: now + SINCH_SIGNATURE_MAX_AGE_MS }),
    ).toBe(true);
    expect(
      verifySinchSignature(vector.body, headers, {
        ...options,
        now: now + SINCH_SIGNATURE_MAX_AGE_MS + 1000,
      }),
    ).toBe(false);
    expect(
      verifySinchSignature(vector.body, headers, {
        ...options,
        now: now - SINCH_SIGNATURE_MAX_AGE_MS - 1000,
      }),
    ).toBe(false);
    expect(verifySinchSignature(vector.body, headers, { secret: vector.secret, maxAgeMs: Infinity })).toBe(
      true,
    );
    expect(verifySinchSignature(vector.body, headers, { secret: vector.secret })).toBe(false);
  });

  it('refuses a parsed object (only the raw body can be checked) and hostile headers, without throwing', () => {
    expect(verifySinchSignature(JSON.parse(vector.body), headers, options)).toBe(false);
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(verifySinchSignature(vector.body, hostile, options)).toBe(false);
    expect(verifySinchSignature(vector.body, null as never, options)).toBe(false);
  });

  it('a negative or NaN maxAgeMs refuses every callback', () => {
    for (const maxAgeMs of [-1, Number.NaN]) {
      expect(verifySinchSignature(vector.body, headers, { ...options, maxAgeMs })).toBe(false);
    }
  });

  it('an empty or missing secret is INVALID_CONFIG', () => {
    for (const bad of [{ secret: '' }, { secret: undefined as never }]) {
      let thrown: unknown;
      try {
        verifySinchSignature(vector.body, headers, bad);
      } catch (error) {
        thrown = error;
      }
      expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
    }
  });
});

describe("agrees with Sinch's official Node SDK (@sinch/sdk-core)", () => {
  const payload = fc.record({
    secret: fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' }),
    body: fc.oneof(fc.json(), fc.string({ unit: 'grapheme', maxLength: 500 })),
    nonce: fc.stringMatching(/^[0-9A-Z]{26}$/),
    timestamp: fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }).map(String),
    tamper: fc.constantFrom('none', 'body', 'signature', 'secret'),
  });

  it('on 400 random signed payloads, tampered or not: the same verdict, and our signature is the SDK’s', () => {
    let valid = 0;
    fc.assert(
      fc.property(payload, ({ secret, body, nonce, timestamp, tamper }) => {
        const signature = signSinchCallback(body, { secret, nonce, timestamp });
        const sent = tamper === 'signature' ? randomBytes(32).toString('base64') : signature;
        const received = tamper === 'body' ? `${body}x` : body;
        const checkedWith = tamper === 'secret' ? `${secret}x` : secret;
        const headers = headersOf({ signature: sent, nonce, timestamp });
        const sdk = new SmsCallbackWebhooks(checkedWith).validateAuthenticationHeader(
          headers,
          received,
          '/',
          'POST',
        );
        expect(validateWebhookSignature(checkedWith, headers, received)).toBe(sdk);
        const ours = verifySinchSignature(received, headers, { secret: checkedWith, now: at(timestamp) });
        expect(ours).toBe(sdk);
        expect(sdk).toBe(tamper === 'none');
        if (ours) valid++;
      }),
      { numRuns: 400, seed: 0x51c4 },
    );
    expect(valid).toBeGreaterThan(50);
  });
});
