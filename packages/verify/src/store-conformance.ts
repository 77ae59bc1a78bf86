import { describe, it } from 'vitest';
import { runSecretsScan } from './secrets-scan.js';
import type { VerificationStore } from './store.js';
import { describeDeliveryCases } from './store-conformance-deliveries.js';
import { describeLimitCases } from './store-conformance-limits.js';
import { describeVerificationCases } from './store-conformance-verifications.js';

/** How the kit treats a store beyond the cases every store runs. */
export interface StoreConformanceOptions<S extends VerificationStore> {
  /**
   * Name shown in the suite title, e.g. `"memory"`.
   * @default "store"
   */
  name?: string;
  /**
   * Every value the store holds (any JSON-able shape), for the case that no stored value holds a code
   * or the secret. Without it, that case is skipped, visibly.
   */
  dump?: (store: S) => unknown | Promise<unknown>;
  /** Called after each case with its store (close a client, delete keys). */
  cleanup?: (store: S) => void | Promise<void>;
}

/**
 * Registers the vitest suite every `VerificationStore` passes: what each method answers, expiry judged
 * by the callers' clock, the concurrency cases (of N concurrent right checks exactly one is approved; of
 * N concurrent wrong ones exactly `maxAttempts` are `pending`), delivery receipts (`deliver`: the latest
 * send found by its message id, one resend per verification after a failed delivery), and, with `dump`, that no stored value
 * holds a code or the secret. `makeStore` is called once per case and must give an empty store.
 */
export function describeStoreConformance<S extends VerificationStore>(
  makeStore: () => S | Promise<S>,
  options: StoreConformanceOptions<S> = {},
): void {
  const withStore = (run: (store: S) => Promise<void>) => async () => {
    const store = await makeStore();
    try {
      await run(store);
    } finally {
      await options.cleanup?.(store);
    }
  };

  describe(`VerificationStore conformance: ${options.name ?? 'store'}`, () => {
    describeVerificationCases(withStore);
    describeLimitCases(withStore);
    describeDeliveryCases(withStore);
    describe('what is stored', () => {
      it.skipIf(options.dump === undefined)(
        'holds no code and no secret, only HMACs, counts and times (needs dump)',
        withStore(async (store) => {
          await runSecretsScan(store, () => options.dump!(store), 300);
        }),
      );
    });
  });
}
