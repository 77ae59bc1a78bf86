import { describe, expect, it } from 'vitest';
import { OtpError } from '../errors.js';
import type { FailedEvent, SentEvent } from '../events.js';
import type { OtpMessage, OtpProvider, SendReceipt } from '../types.js';
import { createDispatcher } from './index.js';

// What the dispatcher does with a vendor (or a provider) that answers badly, and with listeners that
// call back into it while it emits.

const message: OtpMessage = { to: '+14155550123', body: 'Your code is 482913' };

/** A provider that resolves with the receipts given, one per call (then a good one). */
function answering(id: string, ...receipts: unknown[]): OtpProvider & { calls: number } {
  const provider = {
    id,
    calls: 0,
    async send(input: OtpMessage): Promise<SendReceipt> {
      provider.calls++;
      const next = receipts.shift();
      if (next !== undefined) return next as SendReceipt;
      return { provider: id, messageId: `${id}-${provider.calls}`, to: input.to, acceptedAt: new Date() };
    },
  };
  return provider;
}

describe('a `queued` listener that calls back into the dispatcher', () => {
  it('close() from a queued listener waits for that send to end', async () => {
    let release: (() => void) | undefined;
    const slow: OtpProvider = {
      id: 'slow',
      send: (input) =>
        new Promise((resolve) => {
          release = () =>
            resolve({ provider: 'slow', messageId: 'm-1', to: input.to, acceptedAt: new Date() });
        }),
    };
    const dispatcher = createDispatcher({ providers: [slow] });
    const order: string[] = [];
    let closing: Promise<void> | undefined;
    dispatcher.on('queued', () => {
      closing = dispatcher.close().then(() => {
        order.push('closed');
      });
    });
    dispatcher.on('sent', () => order.push('sent'));
    const sent = dispatcher.send(message);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release?.();
    await sent;
    await closing;
    expect(order).toEqual(['sent', 'closed']);
  });

  it('enqueue() from a queued listener meets the queue bound with this send counted', async () => {
    const dispatcher = createDispatcher({
      providers: [{ id: 'hang', send: () => new Promise<never>(() => {}) }],
      concurrency: 1,
      maxQueue: 2,
      timeoutMs: 50,
      retry: { retries: 0 },
    });
    dispatcher.enqueue(message); // running
    let accepted = 0;
    let refused = 0;
    dispatcher.on('queued', () => {
      for (let index = 0; index < 50; index++) {
        try {
          dispatcher.enqueue(message);
          accepted++;
        } catch (error) {
          expect(error).toMatchObject({ code: 'QUEUE_FULL' });
          refused++;
        }
      }
    });
    dispatcher.enqueue(message);
    // The one that triggered the listener fills one of the two places: one more fits, not 50.
    expect(dispatcher.queued).toBe(2);
    expect(accepted).toBe(1);
    expect(refused).toBeGreaterThanOrEqual(49);
    dispatcher.off('queued');
    await dispatcher.close();
  });

  it('a queued listener that aborts the signal ends the send with exactly one failed event', async () => {
    const dispatcher = createDispatcher({ providers: [answering('ok')] });
    const controller = new AbortController();
    const failed: FailedEvent[] = [];
    dispatcher.on('queued', () => controller.abort());
    dispatcher.on('failed', (event) => failed.push(event));
    await expect(dispatcher.send(message, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    await dispatcher.close();
    expect(failed).toHaveLength(1);
  });
});

describe("a receipt's message id is checked before a send is reported sent", () => {
  for (const [what, messageId] of [
    ['empty', ''],
    ['blank', '   '],
    ['with CR/LF', 'abc\r\nSet-Cookie: x=1'],
    ['with NUL', 'abc\u0000def'],
    ['longer than 128 characters', 'x'.repeat(129)],
    ['of 1 MB', 'x'.repeat(1_000_000)],
    ['not a string', 42],
  ] as const) {
    it(`a message id ${what} is INVALID_RESPONSE, counted as an unconfirmed attempt, and never remembered`, async () => {
      const provider = answering('acme', {
        provider: 'acme',
        messageId,
        to: message.to,
        acceptedAt: new Date(),
      });
      const dispatcher = createDispatcher({ providers: [provider], retry: { retries: 0 } });
      const sent: SentEvent[] = [];
      const failed: FailedEvent[] = [];
      const delivered: unknown[] = [];
      dispatcher.on('sent', (event) => sent.push(event));
      dispatcher.on('failed', (event) => failed.push(event));
      dispatcher.on('delivered', (event) => delivered.push(event));
      const error = await dispatcher.send(message).catch((caught: unknown) => caught as OtpError);
      expect(error).toMatchObject({ code: 'INVALID_RESPONSE', provider: 'acme' });
      expect(sent).toEqual([]);
      expect(failed).toHaveLength(1);
      expect(failed[0]?.unconfirmedAttempts).toBe(1);
      if (typeof messageId === 'string') {
        dispatcher.report({
          provider: 'acme',
          messageId,
          status: 'delivered',
          providerStatus: 'DELIVRD',
          at: new Date(),
        });
        expect(delivered).toHaveLength(1);
        expect(delivered[0]).not.toHaveProperty('id');
      }
      await dispatcher.close();
    });
  }

  it('a good id of 128 characters is sent and correlated', async () => {
    const messageId = 'm'.repeat(128);
    const provider = answering('acme', {
      provider: 'acme',
      messageId,
      to: message.to,
      acceptedAt: new Date(),
    });
    const dispatcher = createDispatcher({ providers: [provider] });
    const delivered: { id?: string }[] = [];
    dispatcher.on('delivered', (event) => delivered.push(event));
    const result = await dispatcher.send(message);
    dispatcher.report({
      provider: 'acme',
      messageId,
      status: 'delivered',
      providerStatus: 'DELIVRD',
      at: new Date(),
    });
    expect(delivered[0]?.id).toBe(result.id);
    await dispatcher.close();
  });

  it('300 sends answered with 1 MB ids keep no id in memory', async () => {
    const ids = Array.from({ length: 300 }, (_, index) => `${index}`.padEnd(1_000_000, 'x'));
    const provider = answering(
      'acme',
      ...ids.map((messageId) => ({ provider: 'acme', messageId, to: message.to, acceptedAt: new Date() })),
    );
    const dispatcher = createDispatcher({ providers: [provider], retry: { retries: 0 }, concurrency: 16 });
    const before = process.memoryUsage().heapUsed;
    const outcomes = await Promise.allSettled(ids.map(() => dispatcher.send(message)));
    await dispatcher.close();
    ids.length = 0;
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    // The ids were refused, not kept for `report()`: nothing like 300 MB stays.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 2 ** 20);
  });

  it('an INVALID_RESPONSE in a 2xx from a provider counts as unconfirmed; one in a 4xx does not', async () => {
    const failing = (status: number): OtpProvider => ({
      id: `s${status}`,
      send: async () => {
        throw new OtpError('INVALID_RESPONSE', 'unreadable', { provider: `s${status}`, status });
      },
    });
    for (const [status, unconfirmed] of [
      [200, 1],
      [400, 0],
    ] as const) {
      const dispatcher = createDispatcher({ providers: [failing(status)], retry: { retries: 0 } });
      const failed: FailedEvent[] = [];
      dispatcher.on('failed', (event) => failed.push(event));
      await dispatcher.send(message).catch(() => {});
      await dispatcher.close();
      expect(failed[0]?.unconfirmedAttempts, `HTTP ${status}`).toBe(unconfirmed);
    }
  });
});
