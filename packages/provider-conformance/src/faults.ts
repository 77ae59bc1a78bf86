import { monitorEventLoopDelay } from 'node:perf_hooks';
import { inspect } from 'node:util';
import {
  createDispatcher,
  type DispatcherOptions,
  type FailedEvent,
  isOtpError,
  type OtpErrorCode,
  type OtpMessage,
  type OtpProvider,
} from '@otpkit/core';
import type { CommonEmulatorFault, EmulatorServer } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { checkEverySend, createEvidence, drive, listenerCounts, watch } from './fault-books.js';
import { createFallback, faultFor, scriptFaults, warmUp } from './fault-script.js';
import { describeHangingVendor } from './hanging-vendor.js';

/** What a provider package hands `describeProviderFaults`. */
export interface FaultHarness {
  /** The vendor's emulator (one built with `createVendorEmulator` fits): served on a real socket. */
  emulator: {
    failNext(fault: CommonEmulatorFault, times?: number): unknown;
    accepted(to?: string): number;
    readonly requests: readonly unknown[];
    listen(options?: { host?: string; port?: number }): Promise<EmulatorServer>;
    reset(): void;
  };
  /** The provider under test, reaching the emulator at `baseUrl`. */
  create(baseUrl: string): OtpProvider;
  /**
   * Queues the vendor's own reply for one request: a 5xx, or a rate limit without a delay (the
   * `behave` of the conformance harness fits). Without it, the suite answers with bare statuses.
   */
  behave?(scenario: 'unavailable' | 'rate-limited'): unknown;
  /** Every credential given to the provider; none may appear in any event, error or log. */
  secrets: readonly string[];
}

/** Options of `describeProviderFaults`. */
export interface ProviderFaultsOptions {
  /** Name shown in the suite title and the `FAULTS` lines, e.g. `"kaleyra"`. */
  name: string;
  /** Builds the harness once for the suite. */
  setup(): FaultHarness | Promise<FaultHarness>;
  /** Sends of the faulty run. @default 5000 */
  sends?: number;
  /** Seed of the fault draw and of the send()/enqueue() split. @default 0x5eed2024 */
  seed?: number;
  /**
   * The dispatcher's attempt limit in ms; a "slow" reply takes twice as long. The emulator shares the
   * test's thread, so the limit must leave room for `concurrency` requests served one after the other.
   * @default 500
   */
  timeoutMs?: number;
  /** The dispatcher's concurrency. @default 16 */
  concurrency?: number;
}

/** The error code each injected fault must turn into. */
const INJECTED_CODES = new Set<OtpErrorCode>([
  'PROVIDER_UNAVAILABLE',
  'RATE_LIMITED',
  'TIMEOUT',
  'NETWORK',
  'INVALID_RESPONSE',
]);
const BODY_MARKERS = ['otpkit verification code', 'Never share it'];

/**
 * Registers the real-socket fault suite: the vendor's emulator on a loopback port answers with 503s,
 * 429s, replies slower than the attempt limit (which it still counts as taken), connections reset before
 * a reply and 200s with HTML. Thousands of sends go through a dispatcher; the suite checks that every
 * send ends exactly once, that nothing is lost, that every message the vendor took twice is explained
 * by an unconfirmed (timed-out) attempt, that a vendor fully down fails over, and that no secret leaks.
 * The `FAULTS` lines it prints feed docs/reliability.md.
 */
export function describeProviderFaults(options: ProviderFaultsOptions): void {
  const sends = options.sends ?? 5000;
  const seed = options.seed ?? 0x5eed_2024;
  const timeoutMs = options.timeoutMs ?? 500;
  const concurrency = options.concurrency ?? 16;
  /** How long a "slow" reply takes: well past the attempt limit. */
  const slowReplyMs = timeoutMs * 2;
  /** Realistic options scaled down for speed. */
  const OPTIONS = {
    timeoutMs,
    retry: { retries: 3, minDelayMs: 1, maxDelayMs: 20 },
    concurrency,
    deadlineMs: timeoutMs * 25,
  } satisfies Omit<DispatcherOptions, 'providers'>;
  const evidence = createEvidence();
  const codes = new Set<string>();
  const warnings: Error[] = [];
  const unhandled: unknown[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const logSpies: MockInstance[] = [];
  let harness: FaultHarness;
  const report = (line: string) => console.info(`FAULTS ${options.name} ${line}`);
  const message = (index: number, code: string, to: string): OtpMessage => {
    codes.add(code);
    return {
      to,
      body: `Your otpkit verification code is ${code}. Never share it.`,
      reference: `ref-${index}`,
    };
  };
  describe(`${options.name} under injected faults (real HTTP server)`, () => {
    beforeAll(async () => {
      harness = await options.setup();
      process.on('warning', onWarning);
      process.on('unhandledRejection', onUnhandled);
      for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
        logSpies.push(vi.spyOn(console, method));
      }
      logSpies.push(vi.spyOn(process, 'emitWarning'));
    });
    afterAll(() => {
      process.off('warning', onWarning);
      process.off('unhandledRejection', onUnhandled);
      for (const spy of logSpies) spy.mockRestore();
    });

    it(`ends each of ${sends} sends exactly once, loses none, and explains every duplicate`, async () => {
      await warmUp(harness);
      harness.emulator.reset();
      // Enough scripted answers for every attempt; what is left is dropped by reset().
      const injected = scriptFaults(harness, { count: sends * 2, seed, slowReplyMs }, (request) =>
        faultFor(request, seed),
      );
      const server = await harness.emulator.listen();
      // The breaker is set high rather than off: the faults are random and spread, never 1000 in a row,
      // so it must not open (it would turn this into a test of skipping), yet it stays in the path of
      // every attempt as in production.
      const dispatcher = createDispatcher({
        ...OPTIONS,
        providers: [harness.create(server.url)],
        breaker: { failureThreshold: 1000, cooldownMs: 30_000 },
      });
      const books = watch(dispatcher, evidence);
      const before = listenerCounts(dispatcher);
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const started = performance.now();
      const tracks = await drive(dispatcher, books, evidence, { count: sends, seed }, (index) =>
        message(index, String(731_000 + index), `+1${2_000_000_000 + index}`),
      );
      await dispatcher.close();
      const durationMs = Math.round(performance.now() - started);
      lag.disable();
      await server.close();
      // The emulator answers a slow request once its client has gone: let the last ones land.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const accepted = (to: string) => harness.emulator.accepted(to);

      // The vendor's books against the dispatcher's, counted first and asserted below.
      let sent = 0;
      let duplicated = 0;
      let failedButTaken = 0;
      let unconfirmedAttempts = 0;
      const failures: FailedEvent[] = [];
      for (const t of tracks) {
        const terminal = t.sent[0] ?? t.failed[0];
        if (t.sent.length > 0) sent++;
        failures.push(...t.failed);
        const taken = accepted(t.to);
        unconfirmedAttempts += terminal?.unconfirmedAttempts ?? 0;
        if (taken > 1 && t.sent.length > 0) duplicated++;
        if (taken >= 1 && t.sent.length === 0) failedButTaken++;
      }
      const failed = failures.length;
      const byCode = new Map<string, number>();
      for (const event of failures) byCode.set(event.error.code, (byCode.get(event.error.code) ?? 0) + 1);
      const viaSend = tracks.filter((t) => t.via === 'send').length;
      report(
        `run=faulty sends=${sends} (send()=${viaSend}, enqueue()=${sends - viaSend}) timeoutMs=${timeoutMs} slowReplyMs=${slowReplyMs} retries=3 concurrency=${concurrency} seed=0x${seed.toString(16)} scripted=${Object.entries(
          injected,
        )
          .map(([kind, n]) => `${kind}:${n}`)
          .join(',')}`,
      );
      report(
        `run=faulty retries=${books.retrying.length} failovers=${books.failovers.length} sent=${sent} failed=${failed} lost=${sends - sent - failed} failedBy=${[...byCode].map(([code, n]) => `${code}:${n}`).join(',') || 'none'} duplicates=${duplicated} failedButTaken=${failedButTaken} unconfirmedAttempts=${unconfirmedAttempts}`,
      );
      report(
        `run=faulty duration=${durationMs}ms eventLoopDelay p50=${(lag.percentile(50) / 1e6).toFixed(0)}ms p99=${(lag.percentile(99) / 1e6).toFixed(0)}ms max=${(lag.max / 1e6).toFixed(0)}ms`,
      );

      expect(tracks).toHaveLength(sends);
      expect(books.orphans()).toBe(0);
      expect(books.strays).toBe(0);
      expect(books.breakerOpened).toBe(0);
      expect(checkEverySend(tracks)).toEqual({ sent, failed });
      expect(sent + failed).toBe(sends);
      const id = harness.create(server.url).id;
      for (const t of tracks) {
        const taken = accepted(t.to);
        const terminal = t.sent[0] ?? t.failed[0]!;
        const unconfirmed = terminal.unconfirmedAttempts;
        const confirmed = t.sent.length;
        if (confirmed === 1) {
          expect(t.sent[0]!.receipt.provider).toBe(id);
          expect(taken, `${t.to}: sent but never taken`).toBeGreaterThanOrEqual(1);
        }
        // Each request the vendor took is the confirmed one or an attempt that timed out in flight.
        expect(taken, `${t.to}: taken ${taken} times, ${unconfirmed} unconfirmed`).toBeLessThanOrEqual(
          confirmed + unconfirmed,
        );
        if (taken > 1 || (taken >= 1 && confirmed === 0)) {
          expect(unconfirmed, `${t.to}: a duplicate with no unconfirmed attempt`).toBeGreaterThan(0);
        }
      }
      for (const event of failures) {
        expect(isOtpError(event.error)).toBe(true);
        expect(INJECTED_CODES, `unexpected failure ${event.error.code}`).toContain(event.error.code);
      }
      expect(failed / sends).toBeLessThan(0.01);
      expect(listenerCounts(dispatcher)).toEqual(before);
      expect(dispatcher.queued + dispatcher.inFlight).toBe(0);
    }, 60_000);

    it.each([
      { mode: 'closed', breaker: false },
      { mode: 'all-503', breaker: undefined },
      { mode: 'all-reset', breaker: false },
    ] as const)(
      'a first vendor fully down ($mode) ends every send on the fallback',
      async ({ mode, breaker }) => {
        const count = 500;
        harness.emulator.reset();
        if (mode !== 'closed') {
          scriptFaults(harness, { count: count * 4, seed, slowReplyMs }, () =>
            mode === 'all-503' ? 'unavailable' : 'reset',
          );
        }
        const server = await harness.emulator.listen();
        if (mode === 'closed') await server.close();
        const fallback = createFallback();
        // `closed` and `all-reset` keep the breaker off so every send meets the dead vendor itself (and
        // fails over at once: NETWORK is in failFastOn); `all-503` keeps the default breaker, which opens
        // after 5 failures and then skips the vendor.
        const dispatcher = createDispatcher({
          ...OPTIONS,
          providers: [harness.create(server.url), fallback],
          ...(breaker === undefined ? {} : { breaker }),
        });
        const books = watch(dispatcher, evidence);
        const before = listenerCounts(dispatcher);
        const offset = { closed: 0, 'all-503': 1, 'all-reset': 2 }[mode] * 1000;
        const tracks = await drive(dispatcher, books, evidence, { count, seed }, (index) =>
          message(index, String(741_000 + offset + index), `+1${3_000_000_000 + offset + index}`),
        );
        await dispatcher.close();
        if (mode !== 'closed') await server.close();

        const { sent, failed } = checkEverySend(tracks);
        expect(failed).toBe(0);
        expect(sent).toBe(count);
        for (const t of tracks) {
          expect(t.sent[0]!.provider).toBe('fallback');
          expect(t.sent[0]!.receipt.provider).toBe('fallback');
        }
        expect(fallback.messages).toHaveLength(count);
        // This run's recipients only: a slow request of an earlier run may still be answered.
        expect(tracks.filter((t) => harness.emulator.accepted(t.to) > 0)).toEqual([]);
        expect(books.failovers.length).toBe(count);
        for (const event of books.failovers) {
          expect(event.nextProvider).toBe('fallback');
          // A dead vendor looks like NETWORK (refused, reset) or PROVIDER_UNAVAILABLE (503, or skipped by
          // the open breaker); on a loaded machine an attempt can also run out its time limit first (TIMEOUT).
          expect(['NETWORK', 'PROVIDER_UNAVAILABLE', 'TIMEOUT']).toContain(event.error.code);
        }
        expect(listenerCounts(dispatcher)).toEqual(before);
        report(
          `run=fallback-${mode} sends=${count} retries=${books.retrying.length} failovers=${books.failovers.length} breakerOpened=${books.breakerOpened} sent=${sent} (all on the fallback) failed=${failed} lost=${count - sent - failed}`,
        );
      },
      20_000,
    );

    describeHangingVendor(options.name, () => harness);

    it('leaks no credential, body or code, and leaves no warning or unhandled rejection', async () => {
      // Let any late rejection surface.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const corpus = evidence.texts();
      for (const spy of logSpies) {
        for (const call of spy.mock.calls)
          corpus.push(call.map((arg) => inspect(arg, { depth: 6 })).join(' '));
      }
      const text = corpus.join('\n');
      expect(corpus.length).toBeGreaterThan(10_000);
      for (const secret of harness.secrets) expect(text.includes(secret), 'a credential leaked').toBe(false);
      for (const marker of BODY_MARKERS)
        expect(text.includes(marker), `a body leaked (${marker})`).toBe(false);
      const leakedCodes = (text.match(/\b\d{6}\b/g) ?? []).filter((token) => codes.has(token));
      expect(leakedCodes, 'OTP codes leaked').toEqual([]);
      expect(unhandled).toEqual([]);
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
      expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
      report(
        `secrets: ${corpus.length} texts checked, ${codes.size} codes: none leaked; warnings=0 unhandledRejections=0`,
      );
    });
  });
}
