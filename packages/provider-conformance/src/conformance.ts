import {
  createDispatcher,
  isOtpError,
  type OtpError,
  type OtpErrorCode,
  type OtpMessage,
  type OtpProvider,
} from '@otpkit/core';
import type { CommonEmulatorFault } from '@otpkit/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets, sendExpectingFailure, within } from './assertions.js';
import { describeHostileVendor } from './hostile-vendor.js';

/** How the kit asks the vendor (its emulator, or the fake's scripting) to behave on the next request. */
export type ConformanceScenario =
  /** Refuse the credentials (HTTP 401 or the vendor's equivalent). */
  | 'auth-refused'
  /** Ask to slow down without saying for how long. */
  | 'rate-limited'
  /** Ask to slow down for `CONFORMANCE_RETRY_AFTER_SECONDS` seconds (e.g. `Retry-After: 7`). */
  | 'rate-limited-with-delay'
  /** Fail on the vendor's side (HTTP 5xx). */
  | 'unavailable'
  /** Drop the connection without a reply. */
  | 'network-failure'
  /** Answer 2xx with a body the provider cannot read. */
  | 'malformed-reply'
  /** Refuse the message for a business reason (the vendor's "invalid number" or similar). */
  | 'rejected'
  /** Accept the connection and never answer. */
  | 'hang';

/** The delay the kit asks for in `rate-limited-with-delay`, in seconds. */
export const CONFORMANCE_RETRY_AFTER_SECONDS = 7;

/** What a provider package hands the kit. */
export interface ConformanceHarness {
  /** The provider under test, configured to reach the emulator. */
  provider: OtpProvider;
  /** Every credential given to the provider; none may appear in any error. */
  secrets: readonly string[];
  /** Makes the vendor behave this way for the next request. */
  behave(scenario: ConformanceScenario): void | Promise<void>;
  /** Vendor callback payloads for a message id, when the provider parses delivery reports. */
  deliveryReports?: {
    delivered(messageId: string): unknown;
    failed(messageId: string): unknown;
  };
  /**
   * Builds the same provider, reaching the same emulator, with these options on top. The kit's option
   * and time-limit cases run when given.
   */
  create?(options: ConformanceProviderOptions): OtpProvider;
  /**
   * Answers the next request with exactly this `Response` (an emulator built on `@otpkit/core/testing`
   * does it with its `{ kind: 'response' }` fault). The kit's hostile-vendor cases run when given:
   * redirects, huge, endless, dribbling and broken bodies.
   */
  respond?(response: (request: Request) => Response): void | Promise<void>;
  /**
   * Answers the next request with the vendor's own error reply carrying this vendor code and text, with
   * this HTTP status. The kit's redaction cases run when given, for each of `echoStatuses`.
   */
  echoError?(echo: { code: string; text: string; status: number }): void | Promise<void>;
  /** The statuses `echoError` is tried with. Default `[400, 503]`; add 200 for a vendor that fails inside a 2xx. */
  echoStatuses?: readonly number[];
  /** Clears scripted behaviour; called after each case. */
  reset?(): void | Promise<void>;
  /** Releases what `setup` started (servers, interceptors); called after the suite. */
  close?(): void | Promise<void>;
}

/** Options every provider takes, which the kit sets through `ConformanceHarness.create`. */
export interface ConformanceProviderOptions {
  timeoutMs?: number;
  maxResponseBytes?: number;
  baseUrl?: string;
}

export interface ProviderConformanceOptions {
  /** Name shown in the suite title, e.g. `"kaleyra"`. */
  name: string;
  /** Builds the harness once for the suite. */
  setup(): ConformanceHarness | Promise<ConformanceHarness>;
  /** A message this vendor accepts. Default: `{ to: "+14155550123", body: "Your code is 482913" }`. */
  message?: OtpMessage;
  /** How long an abort may take to end a pending send, in ms. Default `2000`. */
  abortWithinMs?: number;
  /**
   * The vendor's own cases, registered inside the suite, after the shared ones (unstorage's
   * `additionalTests`): they share its harness, and its `reset` after each case. Default: none.
   */
  additionalTests?(context: ConformanceContext): void;
}

/** What `additionalTests` is given. */
export interface ConformanceContext {
  /** The harness `setup` built (call it inside a case: it is built in `beforeAll`). */
  harness(): ConformanceHarness;
  /** The message the suite sends. */
  message: OtpMessage;
  /** A `SendContext` for a direct `provider.send`, on this signal (default: one that never aborts). */
  sendContext(signal?: AbortSignal): { signal: AbortSignal; attempt: number };
}

const FAILURES: readonly {
  scenario: ConformanceScenario;
  code: OtpErrorCode;
  retryable: boolean;
  title: string;
}[] = [
  { scenario: 'auth-refused', code: 'AUTHENTICATION', retryable: false, title: 'refused credentials' },
  { scenario: 'rate-limited', code: 'RATE_LIMITED', retryable: true, title: 'rate limiting without a delay' },
  {
    scenario: 'rate-limited-with-delay',
    code: 'RATE_LIMITED',
    retryable: true,
    title: 'rate limiting with a delay',
  },
  { scenario: 'unavailable', code: 'PROVIDER_UNAVAILABLE', retryable: true, title: 'the vendor being down' },
  { scenario: 'network-failure', code: 'NETWORK', retryable: true, title: 'a network failure' },
  { scenario: 'malformed-reply', code: 'INVALID_RESPONSE', retryable: false, title: 'a malformed reply' },
  { scenario: 'rejected', code: 'REJECTED', retryable: false, title: 'a rejected message' },
];

/**
 * Registers the shared vitest suite that proves a provider keeps the `OtpProvider` contract: receipts,
 * the classification of every failure mode, abort and timeout, secrets kept out of errors, and delivery
 * reports where the provider parses them. Call it at the top level of a test file.
 */
export function describeProviderConformance(options: ProviderConformanceOptions): void {
  const message: OtpMessage = options.message ?? { to: '+14155550123', body: 'Your code is 482913' };
  const abortWithinMs = options.abortWithinMs ?? 2000;
  let harness: ConformanceHarness;
  const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });

  describe(`${options.name}: OtpProvider conformance`, () => {
    beforeAll(async () => {
      harness = await options.setup();
    });
    afterEach(async () => {
      await harness.reset?.();
    });
    afterAll(async () => {
      await harness?.close?.();
    });

    it('has a non-empty id', () => {
      expect(typeof harness.provider.id).toBe('string');
      expect(harness.provider.id.length).toBeGreaterThan(0);
    });

    it('resolves a valid send with a receipt naming the provider and a message id', async () => {
      const receipt = await harness.provider.send(message, context());
      expect(receipt.provider).toBe(harness.provider.id);
      expect(typeof receipt.messageId).toBe('string');
      expect(receipt.messageId.length).toBeGreaterThan(0);
      expect(receipt.to).toBe(message.to);
      expect(receipt.acceptedAt).toBeInstanceOf(Date);
      expect(Number.isNaN(receipt.acceptedAt.getTime())).toBe(false);
    });

    for (const failure of FAILURES) {
      it(`classifies ${failure.title} as ${failure.code} (retryable: ${failure.retryable})`, async () => {
        await harness.behave(failure.scenario);
        const error = await sendExpectingFailure(harness.provider, message, context());
        expect(error.code).toBe(failure.code);
        expect(error.retryable).toBe(failure.retryable);
        expect(error.provider).toBe(harness.provider.id);
        if (failure.scenario === 'rate-limited-with-delay') {
          expect(error.retryAfterMs).toBe(CONFORMANCE_RETRY_AFTER_SECONDS * 1000);
        }
        if (failure.scenario === 'rate-limited') expect(error.retryAfterMs).toBeUndefined();
        assertNoSecrets(error, [...harness.secrets, message.body]);
      });
    }

    it('ends a pending send promptly with ABORTED when the signal aborts', async () => {
      await harness.behave('hang');
      const controller = new AbortController();
      const pending = sendExpectingFailure(harness.provider, message, context(controller.signal));
      setTimeout(() => controller.abort(new Error('the user gave up')), 20);
      const error = await within(
        pending,
        abortWithinMs + 20,
        'the send did not end after its signal aborted',
      );
      expect(error.code).toBe('ABORTED');
      assertNoSecrets(error, [...harness.secrets, message.body]);
    });

    it('ends in TIMEOUT when the per-attempt limit of a dispatcher runs out', async () => {
      await harness.behave('hang');
      const dispatcher = createDispatcher({
        providers: [harness.provider],
        timeoutMs: 100,
        retry: { retries: 0 },
      });
      const error = await within(
        dispatcher.send(message).then(
          () => {
            throw new Error('expected the send to time out');
          },
          (caught: unknown) => caught as OtpError,
        ),
        100 + abortWithinMs,
        'the send outlived its time limit',
      );
      expect(isOtpError(error, 'TIMEOUT')).toBe(true);
      await dispatcher.close();
    });

    describe('delivery reports', () => {
      it('parses delivered and failed reports, refuses garbage', async (ctx) => {
        const parse = harness.provider.parseDeliveryReport?.bind(harness.provider);
        if (!parse || !harness.deliveryReports) {
          ctx.skip();
          return;
        }
        const receipt = await harness.provider.send(message, context());
        const delivered = parse(harness.deliveryReports.delivered(receipt.messageId));
        expect(delivered).toMatchObject({
          provider: harness.provider.id,
          messageId: receipt.messageId,
          status: 'delivered',
        });
        expect(delivered.at).toBeInstanceOf(Date);
        const failed = parse(harness.deliveryReports.failed(receipt.messageId));
        expect(failed).toMatchObject({ messageId: receipt.messageId, status: 'undelivered' });
        const throwing = new Proxy(
          {},
          {
            get() {
              throw new Error('a trap that throws');
            },
            ownKeys() {
              throw new Error('a trap that throws');
            },
            getPrototypeOf() {
              throw new Error('a trap that throws');
            },
          },
        );
        const getter = Object.defineProperty({}, 'status', {
          enumerable: true,
          get() {
            throw new Error('a getter that throws');
          },
        });
        const hugeId = harness.deliveryReports.delivered('x'.repeat(1_000_000));
        const controlId = harness.deliveryReports.delivered('abc\r\ndef');
        for (const garbage of [
          null,
          undefined,
          42,
          [],
          {},
          { status: 'delivered' },
          throwing,
          getter,
          hugeId,
          controlId,
        ]) {
          let thrown: unknown;
          try {
            parse(garbage);
          } catch (error) {
            thrown = error;
          }
          expect(isOtpError(thrown, 'INVALID_INPUT'), `payload ${describePayload(garbage)}`).toBe(true);
        }
      });
    });

    describeHostileVendor(() => harness, message, abortWithinMs);

    if (options.additionalTests) {
      describe(`${options.name}'s own cases`, () => {
        options.additionalTests!({ harness: () => harness, message, sendContext: context });
      });
    }
  });
}

function describePayload(payload: unknown): string {
  try {
    return JSON.stringify(payload)?.slice(0, 80) ?? String(payload);
  } catch {
    return 'that cannot be shown';
  }
}

/**
 * A `behave` for an emulator built on `@otpkit/core/testing` (`createVendorEmulator`): each scenario as
 * a common fault with a bare status (401, 429, 429 with `Retry-After`, 503, a reset, an HTML page, no
 * answer), except `rejected`, the vendor's own refusal. Write each case with the vendor's own bodies
 * instead where they differ (a vendor that fails inside a 2xx).
 */
export function behaveWithCommonFaults(
  emulator: { failNext(fault: CommonEmulatorFault): unknown },
  rejected: () => unknown,
): ConformanceHarness['behave'] {
  const reply = (status: number, headers?: Record<string, string>) =>
    void emulator.failNext({
      kind: 'reply',
      status,
      body: {},
      ...(headers === undefined ? {} : { headers }),
    });
  return (scenario) => {
    switch (scenario) {
      case 'auth-refused':
        return reply(401);
      case 'rate-limited':
        return reply(429);
      case 'rate-limited-with-delay':
        return reply(429, { 'retry-after': String(CONFORMANCE_RETRY_AFTER_SECONDS) });
      case 'unavailable':
        return reply(503);
      case 'network-failure':
        return void emulator.failNext({ kind: 'network' });
      case 'malformed-reply':
        return void emulator.failNext({ kind: 'malformed', status: 200 });
      case 'rejected':
        return void rejected();
      case 'hang':
        return void emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    }
  };
}
