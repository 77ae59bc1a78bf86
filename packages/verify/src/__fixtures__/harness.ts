import { createDispatcher, type Dispatcher, type OtpProvider } from '@otpkit/core';
import { createFakeProvider, type FakeProvider } from '@otpkit/provider-fake';
import { createMemoryStore, type MemoryStore } from '../memory-store.js';
import { createVerifier, type Verifier } from '../verifier.js';
import type { VerifierOptions } from '../verifier-options.js';

export const T0 = 1_700_000_000_000;
/** 32 bytes and more: a test secret, never a real one. */
export const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';
export const TO = '+14155550123';

export interface Harness {
  verifier: Verifier;
  dispatcher: Dispatcher;
  fake: FakeProvider;
  store: MemoryStore;
  /** Moves the verifier's clock. */
  advance(ms: number): void;
  readonly now: number;
  /** The code in the last SMS to `to`. */
  code(to?: string): string;
}

/** A verifier on a memory store and a dispatcher with one fake provider (or the given providers). */
export function harness(options: Partial<VerifierOptions> = {}, providers?: OtpProvider[]): Harness {
  let clock = T0;
  const fake = createFakeProvider();
  const dispatcher = createDispatcher({
    providers: providers ?? [fake],
    retry: { retries: 0 },
    breaker: false,
  });
  const store = createMemoryStore();
  const verifier = createVerifier({ dispatcher, secret: SECRET, store, now: () => clock, ...options });
  return {
    verifier,
    dispatcher,
    fake,
    store,
    advance(ms) {
      clock += ms;
    },
    get now() {
      return clock;
    },
    code(to = TO) {
      const code = fake.lastCode(to, /\d{4,10}/);
      if (code === undefined) throw new Error(`no SMS to ${to}`);
      return code;
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

export { createFakeProvider };
