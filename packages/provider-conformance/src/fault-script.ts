import type { OtpMessage, OtpProvider } from '@otpkit/core';
import { draw } from './fault-books.js';
import type { FaultHarness } from './faults.js';

export type FaultKind = 'unavailable' | 'rate-limit' | 'slow' | 'reset' | 'malformed';

/**
 * Share of requests that get each fault: 20 % in all. A 200 with HTML (a proxy answering; the vendor
 * never took the message) is `INVALID_RESPONSE`, which the error model makes non-retryable, so it is kept
 * rare: with no fallback, each one ends its send.
 */
export const FAULT_RATES: readonly (readonly [FaultKind, number])[] = [
  ['unavailable', 0.063],
  ['rate-limit', 0.05],
  ['slow', 0.04],
  ['reset', 0.045],
  ['malformed', 0.002],
];
/**
 * Queues one fault (or a normal answer) for each of the next `count` requests, in arrival order; returns
 * how many of each kind. The vendor's own replies (`behave`) stand for half the 5xx and 429s.
 */
export function scriptFaults(
  harness: FaultHarness,
  { count, seed, slowReplyMs }: { count: number; seed: number; slowReplyMs: number },
  pick: (request: number) => FaultKind | undefined,
): Record<FaultKind, number> {
  const injected: Record<FaultKind, number> = {
    unavailable: 0,
    'rate-limit': 0,
    slow: 0,
    reset: 0,
    malformed: 0,
  };
  for (let request = 0; request < count; request++) {
    const kind = pick(request);
    if (kind !== undefined) injected[kind]++;
    queue(kind, request);
  }
  return injected;
  function queue(kind: FaultKind | undefined, request: number) {
    const { emulator } = harness;
    const own = harness.behave !== undefined && draw(`own#${request}`, seed) < 0.5;
    switch (kind) {
      case undefined:
        return void emulator.failNext({ kind: 'delay', ms: 0 });
      case 'unavailable':
        if (own) return void harness.behave!('unavailable');
        return void emulator.failNext({
          kind: 'reply',
          status: 503,
          body: { message: 'Service Unavailable' },
        });
      case 'rate-limit': {
        if (own) return void harness.behave!('rate-limited');
        const retryAfter = draw(`after#${request}`, seed) < 0.5 ? '0' : '0.01';
        return void emulator.failNext({
          kind: 'reply',
          status: 429,
          body: {},
          headers: { 'retry-after': retryAfter },
        });
      }
      case 'slow':
        // Taken (the emulator answers once the client has gone), but after the attempt limit.
        return void emulator.failNext({ kind: 'delay', ms: slowReplyMs });
      case 'reset':
        return void emulator.failNext({ kind: 'network' });
      case 'malformed':
        return void emulator.failNext({ kind: 'malformed', status: 200 });
    }
  }
}

/** The fault of the `request`-th request, drawn by `FAULT_RATES`. */
export function faultFor(request: number, seed: number): FaultKind | undefined {
  let r = draw(`request#${request}`, seed);
  for (const [kind, rate] of FAULT_RATES) {
    if (r < rate) return kind;
    r -= rate;
  }
  return undefined;
}

/** The second provider of the fallback runs: takes every message, after `latencyMs` when given. */
export function createFallback(latencyMs = 0): OtpProvider & { messages: OtpMessage[] } {
  const messages: OtpMessage[] = [];
  return {
    id: 'fallback',
    messages,
    async send(message) {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      messages.push(message);
      return {
        provider: 'fallback',
        messageId: `fb-${messages.length}`,
        to: message.to,
        acceptedAt: new Date(),
      };
    },
  };
}

/** A few sends one after the other, so the first burst does not meet cold code on both ends. */
export async function warmUp(harness: FaultHarness): Promise<void> {
  harness.emulator.reset();
  const server = await harness.emulator.listen();
  const provider = harness.create(server.url);
  for (let index = 0; index < 50; index++) {
    const to = `+1${5_000_000_000 + index}`;
    await provider.send({ to, body: 'warm-up' }, { signal: new AbortController().signal, attempt: 1 });
  }
  await server.close();
}
