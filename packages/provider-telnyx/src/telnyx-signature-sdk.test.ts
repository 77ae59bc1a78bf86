import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import fc from 'fast-check';
import { TelnyxWebhook } from 'telnyx/lib/webhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyTelnyxSignature } from './telnyx-signature.js';

// Our verifier against the official SDK's (telnyx-node `TelnyxWebhook.verify`) on random signed
// webhooks: random keys, bodies and timestamps around now, then one change or none (body, timestamp,
// signature, key, header spelling). Both must agree on every one.
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0, 500);
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function keysOf(seed: Uint8Array) {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKey, publicKey: Buffer.from(raw).toString('base64') };
}

const change = fc.constantFrom(
  'none',
  'none',
  'none',
  'body',
  'timestamp',
  'signature-bit',
  'signature-unpadded',
  'signature-short',
  'other-key',
  'timestamp-text',
  'leading-zeros',
  'header-case',
);

async function sdkAccepts(publicKey: string, body: string, headers: Record<string, string>) {
  try {
    await new TelnyxWebhook(publicKey).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

describe('verifyTelnyxSignature agrees with the telnyx SDK', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterAll(() => vi.useRealTimers());

  it('on 400 random signed webhooks', async () => {
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.oneof(fc.json(), fc.string({ unit: 'binary', maxLength: 200 })),
        fc.integer({ min: -420, max: 420 }),
        change,
        async (seed, otherSeed, body, offset, how) => {
          const { privateKey, publicKey } = keysOf(seed);
          let timestamp = String(Math.floor(NOW / 1000) + offset);
          const signature = sign(null, Buffer.from(`${timestamp}|${body}`, 'utf8'), privateKey);
          let signatureText = signature.toString('base64');
          let sentBody = body;
          let key = publicKey;
          let names = ['telnyx-signature-ed25519', 'telnyx-timestamp'];
          if (how === 'body') sentBody = `${body} `;
          if (how === 'timestamp') timestamp = String(Number(timestamp) + 1);
          if (how === 'signature-bit') {
            signature[offset & 63]! ^= 1 << (offset & 7);
            signatureText = signature.toString('base64');
          }
          if (how === 'signature-unpadded') signatureText = signatureText.replace(/=+$/, '');
          if (how === 'signature-short') signatureText = signature.subarray(0, 48).toString('base64');
          if (how === 'other-key') key = keysOf(otherSeed).publicKey;
          if (how === 'timestamp-text') timestamp = `${timestamp}.0`;
          if (how === 'leading-zeros') timestamp = `000${timestamp}`;
          if (how === 'header-case') names = ['Telnyx-Signature-Ed25519', 'TELNYX-TIMESTAMP'];
          const headers = { [names[0]!]: signatureText, [names[1]!]: timestamp };
          const ours = verifyTelnyxSignature({ publicKey: key, body: sentBody, headers });
          const theirs = await sdkAccepts(key, sentBody, headers);
          outcomes[ours ? 'accepted' : 'refused']++;
          expect({ how, offset, ours }).toEqual({ how, offset, ours: theirs });
        },
      ),
      { numRuns: 400 },
    );
    expect(outcomes.accepted).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(100);
  });
});
