import { describe, expect, it } from 'vitest';
import type { DeliverRequest, VerificationStore } from './store.js';
import {
  A,
  B,
  begin,
  COOLDOWN,
  check,
  MAX,
  T0,
  TO,
  TTL,
  type WithStore,
  WRONG,
} from './store-conformance-fixtures.js';

const receipt = (
  at: number,
  status: DeliverRequest['status'],
  extra: Partial<DeliverRequest> = {},
): DeliverRequest => ({ now: at, provider: 'first', messageId: 'm-1', status, claimResend: true, ...extra });

/** Begins a verification of `TO` with code `A` and settles it as sent by `first` as `m-1`. */
async function sent(store: VerificationStore, reference?: string) {
  await store.begin(TO, begin(T0, A, reference === undefined ? {} : { reference }));
  await store.settle(TO, {
    now: T0 + 1,
    codeHash: A,
    provider: 'first',
    messageId: 'm-1',
    dispatchId: 'd-1',
    locale: 'pt-BR',
  });
}

/** The kit's cases of deliver: receipts of the latest send, and the one resend after a failed delivery. */
export function describeDeliveryCases<S extends VerificationStore>(withStore: WithStore<S>): void {
  describe('deliver (delivery receipts)', () => {
    it(
      'finds the latest send by provider and message id, with its dispatch id, reference and locale',
      withStore(async (store) => {
        await sent(store, 'r-1');
        expect(await store.deliver(TO, receipt(T0 + 2, 'delivered', { claimResend: false }))).toEqual({
          found: true,
          dispatchId: 'd-1',
          reference: 'r-1',
          locale: 'pt-BR',
          delivery: 'delivered',
          resend: false,
        });
      }),
    );

    it(
      'answers found: false for another message id, another provider, another number or none started',
      withStore(async (store) => {
        expect(await store.deliver(TO, receipt(T0, 'delivered'))).toEqual({ found: false });
        await sent(store);
        expect(await store.deliver(TO, receipt(T0 + 2, 'undelivered', { messageId: 'm-2' }))).toEqual({
          found: false,
        });
        expect(await store.deliver(TO, receipt(T0 + 2, 'undelivered', { provider: 'second' }))).toEqual({
          found: false,
        });
        expect(await store.deliver('+14155550199', receipt(T0 + 2, 'undelivered'))).toEqual({ found: false });
        expect((await store.check(TO, check(T0 + 3, A))).status).toBe('approved');
      }),
    );

    it(
      'gives a verification one resend after a failed delivery, and keeps it taken across the resend',
      withStore(async (store) => {
        await sent(store);
        expect(await store.deliver(TO, receipt(T0 + 2, 'undelivered'))).toMatchObject({
          found: true,
          delivery: 'undelivered',
          resend: true,
        });
        expect(await store.deliver(TO, receipt(T0 + 3, 'undelivered'))).toMatchObject({ resend: false });
        expect(await store.begin(TO, begin(T0 + 4, B, { resendAfterMs: 0 }))).toMatchObject({
          ok: true,
          resend: true,
        });
        // The receipt of the send before the resend is no longer of the latest send.
        expect(await store.deliver(TO, receipt(T0 + 5, 'undelivered'))).toEqual({ found: false });
        await store.settle(TO, { now: T0 + 5, codeHash: B, provider: 'second', messageId: 'm-2' });
        expect(
          await store.deliver(TO, receipt(T0 + 6, 'undelivered', { provider: 'second', messageId: 'm-2' })),
        ).toEqual({ found: true, delivery: 'undelivered', resend: false });
      }),
    );

    it(
      'resends on overdue only while no receipt came; never when delivered, locked, expired or not claimed',
      withStore(async (store) => {
        await sent(store);
        expect(await store.deliver(TO, receipt(T0 + 2, 'undelivered', { claimResend: false }))).toMatchObject(
          {
            resend: false,
          },
        );
        expect(await store.deliver(TO, receipt(T0 + 3, 'delivered'))).toMatchObject({
          delivery: 'delivered',
        });
        expect(await store.deliver(TO, receipt(T0 + 4, 'overdue'))).toMatchObject({
          delivery: 'delivered',
          resend: false,
        });
        expect(await store.deliver(TO, receipt(T0 + TTL, 'undelivered'))).toMatchObject({ resend: false });
      }),
    );

    it(
      'takes no resend for a locked number; overdue resends when nothing was heard',
      withStore(async (store) => {
        await sent(store);
        for (let i = 0; i < MAX; i++) await store.check(TO, check(T0 + 2, WRONG));
        expect(await store.deliver(TO, receipt(T0 + 3, 'undelivered'))).toMatchObject({ resend: false });
      }),
    );

    it(
      'starts a new verification with its resend untaken',
      withStore(async (store) => {
        await sent(store);
        expect(await store.deliver(TO, receipt(T0 + 2, 'overdue'))).toMatchObject({
          delivery: 'unknown',
          resend: true,
        });
        const later = T0 + 2 * TTL + COOLDOWN;
        await store.begin(TO, begin(later, B));
        await store.settle(TO, { now: later, codeHash: B, provider: 'first', messageId: 'm-9' });
        expect(
          await store.deliver(TO, receipt(later + 1, 'undelivered', { messageId: 'm-9' })),
        ).toMatchObject({ found: true, resend: true });
      }),
    );

    it(
      'of 50 concurrent undelivered receipts, exactly one takes the resend',
      withStore(async (store) => {
        await sent(store);
        const results = await Promise.all(
          Array.from({ length: 50 }, () => store.deliver(TO, receipt(T0 + 2, 'undelivered'))),
        );
        expect(results.filter((result) => result.found && result.resend)).toHaveLength(1);
      }),
    );
  });
}
