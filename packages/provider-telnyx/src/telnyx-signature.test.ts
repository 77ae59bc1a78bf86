import { generateKeyPairSync, sign } from 'node:crypto';
import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/provider-setup.js';
import { verifyTelnyxSignature } from './telnyx-signature.js';
import { createTelnyxEmulator } from './testing.js';

const vector = JSON.parse(fixture('signature-vector.json')) as Record<string, string>;
const BODY = fixture('signed-webhook-body.txt');
const AT = Number(vector.timestamp) * 1000;
const headers = {
  'telnyx-signature-ed25519': vector.signature!,
  'telnyx-timestamp': vector.timestamp!,
};
const check = (overrides: Partial<Parameters<typeof verifyTelnyxSignature>[0]> = {}) =>
  verifyTelnyxSignature({ publicKey: vector.publicKey!, body: BODY, headers, now: AT, ...overrides });

describe('verifyTelnyxSignature', () => {
  it('accepts the vector of the notes (RFC 8032 TEST 1 key), as text, bytes, Headers or any case', () => {
    expect(check()).toBe(true);
    expect(check({ body: new TextEncoder().encode(BODY) })).toBe(true);
    expect(check({ headers: new Headers(headers) })).toBe(true);
    expect(
      check({
        headers: { 'Telnyx-Signature-Ed25519': vector.signature!, 'TELNYX-TIMESTAMP': vector.timestamp! },
      }),
    ).toBe(true);
  });

  it('refuses a changed body, timestamp, signature or key', () => {
    expect(check({ body: BODY.replace('delivered', 'Delivered') })).toBe(false);
    expect(check({ body: `${BODY}\n` })).toBe(false);
    expect(check({ body: JSON.stringify(JSON.parse(BODY), null, 1) })).toBe(false);
    expect(check({ headers: { ...headers, 'telnyx-timestamp': '1700000001' } })).toBe(false);
    const flipped = Buffer.from(vector.signature!, 'base64');
    flipped[10]! ^= 1;
    expect(check({ headers: { ...headers, 'telnyx-signature-ed25519': flipped.toString('base64') } })).toBe(
      false,
    );
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    expect(check({ publicKey: other.subarray(-32).toString('base64') })).toBe(false);
  });

  it('holds the replay window: 300 s either side, in whole seconds as the SDK does', () => {
    expect(check({ now: AT + 300_999 })).toBe(true);
    expect(check({ now: AT + 301_000 })).toBe(false);
    expect(check({ now: AT - 300_000 })).toBe(true);
    expect(check({ now: AT - 301_000 })).toBe(false);
    expect(check({ now: AT + 3_600_000, maxAgeMs: 3_600_000 })).toBe(true);
    expect(check({ now: Date.now() })).toBe(false);
  });

  it('refuses missing, repeated and malformed headers', () => {
    const bad: Record<string, unknown>[] = [
      {},
      { 'telnyx-timestamp': vector.timestamp },
      { 'telnyx-signature-ed25519': vector.signature },
      { ...headers, 'telnyx-signature-ed25519': [vector.signature, vector.signature] },
      { ...headers, 'telnyx-timestamp': ` ${vector.timestamp}` },
      { ...headers, 'telnyx-timestamp': '1.7e9' },
      { ...headers, 'telnyx-signature-ed25519': vector.signature!.replace(/=+$/, '') },
      { ...headers, 'telnyx-signature-ed25519': Buffer.alloc(63).toString('base64') },
      { ...headers, 'telnyx-signature-ed25519': `${vector.signature}AAAA` },
      { ...headers, 'telnyx-signature-ed25519': 'not base64!' },
    ];
    for (const given of bad) expect(check({ headers: given as never })).toBe(false);
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(check({ headers: hostile })).toBe(false);
    expect(check({ body: 42 as never })).toBe(false);
  });

  it('throws INVALID_CONFIG without a usable public key', () => {
    for (const publicKey of ['', undefined, 'short', Buffer.alloc(31).toString('base64'), 42]) {
      let thrown: unknown;
      try {
        check({ publicKey: publicKey as never });
      } catch (error) {
        thrown = error;
      }
      expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
    }
  });

  it("accepts the emulator's signed webhooks with its public key", () => {
    const emulator = createTelnyxEmulator();
    const signed = emulator.webhook('msg-1', 'delivered');
    expect(verifyTelnyxSignature({ publicKey: emulator.publicKey, ...signed })).toBe(true);
    expect(verifyTelnyxSignature({ publicKey: vector.publicKey!, ...signed })).toBe(false);
  });

  it('signs timestamp|body over the raw bytes (not re-encoded text)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]); // not UTF-8
    const signed = Buffer.concat([Buffer.from('1700000000|'), raw]);
    const signature = sign(null, signed, privateKey).toString('base64');
    const key = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
    const given = { 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': '1700000000' };
    expect(verifyTelnyxSignature({ publicKey: key, body: raw, headers: given, now: AT })).toBe(true);
  });
});
