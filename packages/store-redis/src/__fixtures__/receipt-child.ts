// One app process of the cross-process receipt test: its own client, store, dispatcher (two fake
// providers, "first" then "second") and verifier on the Redis the parent names. It starts
// verifications, takes delivery receipts for sends another process made, and reports what its
// dispatcher and verifier emitted. Bundled by the test with esbuild; answers over IPC.
import type { DeliveryEvent } from '@otpkit/core';
import { createDispatcher, isOtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createVerifier, type ResentEvent } from '@otpkit/verify';
import { createRedisStore } from '../redis-store.js';
import { type ClientKind, openClient } from './clients.js';

export type ReceiptCommand =
  | { op: 'start'; to: string; reference: string }
  | { op: 'receipt'; to: string; provider: string; messageId: string; status: 'delivered' | 'undelivered' }
  | { op: 'check'; to: string; code: string }
  | { op: 'exit' };

export interface ReceiptReply {
  id: number;
  /** start: what the send returned. */
  dispatchId?: string;
  provider?: string;
  messageId?: string;
  code?: string;
  /** receipt: what `verifier.report()` resolved with, and the events it led to in this process. */
  matched?: boolean;
  resending?: boolean;
  delivered?: Pick<DeliveryEvent, 'id' | 'reference' | 'messageId' | 'provider'>[];
  resent?: Pick<ResentEvent, 'provider' | 'previousProvider' | 'dispatchId' | 'sends'>[];
  /** Messages each fake of this process accepted so far, and the last code the second one carried. */
  sent?: { first: number; second: number };
  resentCode?: string;
  status?: string;
  error?: string;
}

const open = await openClient(process.env.CHILD_CLIENT as ClientKind, Number(process.env.CHILD_REDIS_PORT));
const store = createRedisStore({ client: open.client, prefix: process.env.CHILD_PREFIX! });
const first = createFakeProvider({ id: 'first' });
const second = createFakeProvider({ id: 'second' });
const dispatcher = createDispatcher({ providers: [first, second], retry: { retries: 0 } });
const verifier = createVerifier({ dispatcher, secret: process.env.CHILD_SECRET, store, resendAfterMs: 0 });

const delivered: NonNullable<ReceiptReply['delivered']> = [];
dispatcher.on('delivered', ({ id, reference, messageId, provider }) =>
  delivered.push({
    messageId,
    provider,
    ...(id === undefined ? {} : { id }),
    ...(reference ? { reference } : {}),
  }),
);
const resent: NonNullable<ReceiptReply['resent']> = [];
const waiting = new Set<() => void>();
verifier.on('resent', ({ provider, previousProvider, dispatchId, sends }) => {
  resent.push({ provider, previousProvider, dispatchId, sends });
  for (const wake of waiting) wake();
});

const reply = (message: ReceiptReply) => process.send!(message);
const sent = () => ({ first: first.messages.length, second: second.messages.length });

process.on('message', async (request: ReceiptCommand & { id: number }) => {
  const { id } = request;
  try {
    if (request.op === 'exit') {
      await dispatcher.close();
      await open.close();
      process.disconnect();
      return;
    }
    if (request.op === 'start') {
      const started = await verifier.start({ to: request.to, reference: request.reference });
      const dispatch = started.dispatch!;
      const code = (dispatch.provider === 'first' ? first : second).lastCode(request.to)!;
      reply({
        id,
        dispatchId: dispatch.id,
        provider: dispatch.provider,
        messageId: dispatch.messageId,
        code,
      });
      return;
    }
    if (request.op === 'check') {
      reply({ id, status: (await verifier.check({ to: request.to, code: request.code })).status });
      return;
    }
    let wake = () => {};
    const waitResent = new Promise<void>((resolve) => {
      wake = resolve;
      waiting.add(resolve);
    });
    const { to, provider, messageId, status } = request;
    const result = await verifier.report({
      provider,
      messageId,
      status,
      to,
      providerStatus: status,
      at: new Date(),
    });
    // The resend runs in the background: wait for its event (or give up after 5 s).
    if (result.resending)
      await Promise.race([waitResent, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    waiting.delete(wake);
    reply({
      id,
      ...result,
      delivered: [...delivered],
      resent: [...resent],
      sent: sent(),
      ...(second.lastMessage(to) ? { resentCode: second.lastCode(to)! } : {}),
    });
  } catch (error) {
    reply({ id, error: isOtpError(error) ? error.code : String(error) });
  }
});
reply({ id: 0 });
