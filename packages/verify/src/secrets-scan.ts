import { randomBytes } from 'node:crypto';
import { createDispatcher, isOtpError, OtpError, type OtpMessage, type OtpProvider } from '@otpkit/core';
import { expect } from 'vitest';
import { createCodeKey, hashCode } from './hmac.js';
import type { VerificationStore } from './store.js';
import { createVerifier } from './verifier.js';

const T0 = 1_700_000_000_000;

/** Turns anything a store may hold (Maps, Buffers, typed arrays) into text to search. */
function text(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Map) return Object.fromEntries(item);
    if (item instanceof Set) return [...item];
    if (item instanceof Uint8Array)
      return `hex:${Buffer.from(item).toString('hex')} b64:${Buffer.from(item).toString('base64')}`;
    if (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'Buffer') {
      const bytes = Buffer.from((item as { data: number[] }).data);
      return `hex:${bytes.toString('hex')} b64:${bytes.toString('base64')}`;
    }
    return item;
  });
}

/**
 * Runs `rounds` verifications through a verifier on `store` (starts, resends, right and wrong codes,
 * failed sends, refusals) with 10-digit codes, then asserts that no event payload and no error message
 * holds a code, an HMAC or the secret, and that nothing in `dump()` holds a code or the secret.
 */
export async function runSecretsScan(
  store: VerificationStore,
  dump: () => unknown | Promise<unknown>,
  rounds: number,
): Promise<{ starts: number; checks: number }> {
  const secret = randomBytes(32).toString('base64');
  const issued: { to: string; code: string }[] = [];
  let calls = 0;
  const provider: OtpProvider = {
    id: 'scan',
    send(message: OtpMessage) {
      calls++;
      // Every seventh send fails: its code must not leak either.
      if (calls % 7 === 0)
        return Promise.reject(new OtpError('REJECTED', 'scan: scripted refusal', { provider: 'scan' }));
      issued.push({ to: message.to, code: /\d{10}/.exec(message.body)![0] });
      return Promise.resolve({
        provider: 'scan',
        messageId: `scan-${calls}`,
        to: message.to,
        acceptedAt: new Date(),
      });
    },
  };
  const dispatcher = createDispatcher({ providers: [provider], retry: { retries: 0 } });
  let clock = T0;
  const verifier = createVerifier({
    dispatcher,
    secret,
    store,
    codeLength: 10,
    resendAfterMs: 1_000,
    maxSends: { count: 3, windowMs: 600_000 },
    now: () => clock,
  });
  const seen: string[] = [];
  for (const event of ['started', 'approved', 'rejected', 'locked', 'refused'] as const) {
    verifier.on(event, (payload: object) => seen.push(text(payload)));
  }
  const keep = async <T>(run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      if (!isOtpError(error)) throw error;
      seen.push(error.message, text(error.toJSON()));
      return undefined;
    }
  };
  let starts = 0;
  let checks = 0;
  for (let round = 0; round < rounds; round++) {
    const to = `+1415${String(round % Math.max(1, Math.floor(rounds / 2))).padStart(7, '0')}`;
    clock += 1_500;
    starts++;
    await keep(() => verifier.start({ to, reference: `round-${round}` }));
    const code = issued.findLast((entry) => entry.to === to)?.code ?? '0000000000';
    const wrong = code === '9999999999' ? '0000000000' : String(Number(code[0]) === 9 ? 1 : 9).repeat(10);
    const plan = round % 4;
    if (plan === 0) {
      checks++;
      await keep(() => verifier.check({ to, code }));
    } else if (plan === 1) {
      for (let i = 0; i < 6; i++) {
        checks++;
        await keep(() => verifier.check({ to, code: wrong }));
      }
    } else if (plan === 2) {
      checks += 2;
      await keep(() => verifier.check({ to, code: `${code}x` }));
      await keep(() => verifier.check({ to, code: code.slice(1) }));
    }
    // plan 3: left pending; the same number comes back later as a resend.
  }
  await dispatcher.close();

  const key = createCodeKey(secret);
  const hashes = issued.map(({ to, code }) => hashCode(key, to, code));
  const events = seen.join('\n');
  let stored = text(await dump());
  for (const hash of hashes) stored = stored.split(hash).join('');
  const secretForms = [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')];
  for (const form of secretForms) {
    expect(events.includes(form), 'the secret in an event or error').toBe(false);
    expect(stored.includes(form), 'the secret in the store').toBe(false);
  }
  for (const { code } of issued) {
    expect(events.includes(code), 'a code in an event or error').toBe(false);
    expect(stored.includes(code), 'a code in the store').toBe(false);
  }
  for (const hash of hashes) expect(events.includes(hash), 'an HMAC in an event or error').toBe(false);
  expect(issued.length).toBeGreaterThan(rounds / 4);
  return { starts, checks };
}
