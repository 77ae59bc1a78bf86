/**
 * Not a test of its own (the normal run ignores `*.fixture.ts`): `conformance.test.ts` runs this file
 * in a child vitest and checks that the kit fails the broken provider, case by case, and passes the
 * correct one.
 */
import {
  type DeliveryReport,
  defineDeliveryReportParser,
  OtpError,
  type OtpErrorCode,
  type OtpMessage,
  type OtpProvider,
  type SendContext,
  type SendReceipt,
} from '@otpkit/core';
import {
  CONFORMANCE_RETRY_AFTER_SECONDS,
  type ConformanceScenario,
  describeProviderConformance,
} from '../index.js';

const API_KEY = 'sk-broken-provider-secret-0001';

/** What the scripted vendor does on the next request. */
type Next = ConformanceScenario | undefined;

/** Waits for the signal, as a provider must while its vendor is silent. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => {
      const reason: unknown = signal.reason;
      reject(
        reason instanceof OtpError
          ? reason
          : new OtpError('ABORTED', 'correct: the send was aborted by the caller', { provider: 'correct' }),
      );
    };
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * A provider that gets four things wrong: it classifies 429 as `REJECTED`, puts its API key in the
 * message of an authentication error, ignores the abort signal while its vendor hangs, and returns an
 * empty message id.
 */
function createBrokenProvider(script: { next: Next }): OtpProvider {
  const error = (code: OtpErrorCode, message: string, retryAfterMs?: number) =>
    new OtpError(code, message, {
      provider: 'broken',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  return {
    id: 'broken',
    async send(message: OtpMessage): Promise<SendReceipt> {
      const next = script.next;
      script.next = undefined;
      switch (next) {
        case 'auth-refused':
          throw error('AUTHENTICATION', `broken: the vendor refused the api key ${API_KEY}`);
        case 'rate-limited':
          throw error('REJECTED', 'broken: the vendor refused the message (HTTP 429)');
        case 'rate-limited-with-delay':
          throw error('REJECTED', 'broken: the vendor refused the message (HTTP 429)');
        case 'unavailable':
          throw error('PROVIDER_UNAVAILABLE', 'broken: the vendor failed (HTTP 503)');
        case 'network-failure':
          throw error('NETWORK', 'broken: no response from the vendor');
        case 'malformed-reply':
          throw error('INVALID_RESPONSE', 'broken: the reply was not JSON');
        case 'rejected':
          throw error('REJECTED', 'broken: the vendor refused the message');
        case 'hang':
          // Ignores the signal: only its own (long) timer ends the wait.
          await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
          throw error('TIMEOUT', 'broken: gave up on its own');
        default:
          return { provider: 'broken', messageId: '', to: message.to, acceptedAt: new Date() };
      }
    },
  };
}

/** The same vendor handled correctly, to show the kit passes a provider that keeps the contract. */
function createCorrectProvider(script: { next: Next }): OtpProvider {
  let counter = 0;
  const error = (code: OtpErrorCode, message: string, retryAfterMs?: number) =>
    new OtpError(code, message, {
      provider: 'correct',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  return {
    id: 'correct',
    async send(message: OtpMessage, { signal }: SendContext): Promise<SendReceipt> {
      const next = script.next;
      script.next = undefined;
      switch (next) {
        case 'auth-refused':
          throw error('AUTHENTICATION', 'correct: the vendor refused the credentials (HTTP 401)');
        case 'rate-limited':
          throw error('RATE_LIMITED', 'correct: the vendor asked to slow down (HTTP 429)');
        case 'rate-limited-with-delay':
          throw error(
            'RATE_LIMITED',
            'correct: the vendor asked to slow down (HTTP 429)',
            CONFORMANCE_RETRY_AFTER_SECONDS * 1000,
          );
        case 'unavailable':
          throw error('PROVIDER_UNAVAILABLE', 'correct: the vendor failed (HTTP 503)');
        case 'network-failure':
          throw error('NETWORK', 'correct: no response from the vendor');
        case 'malformed-reply':
          throw error('INVALID_RESPONSE', 'correct: the reply was not JSON');
        case 'rejected':
          throw error('REJECTED', 'correct: the vendor refused the message');
        case 'hang':
          return untilAborted(signal);
        default:
          counter += 1;
          return {
            provider: 'correct',
            messageId: `correct-${counter}`,
            to: message.to,
            acceptedAt: new Date(),
          };
      }
    },
    // The core wrapper turns a throwing getter or Proxy, and an unusable message id, into INVALID_INPUT.
    parseDeliveryReport: defineDeliveryReportParser('correct', (payload: unknown): DeliveryReport => {
      const report = payload as { id?: unknown; status?: unknown } | null;
      if (
        typeof report !== 'object' ||
        report === null ||
        typeof report.id !== 'string' ||
        (report.status !== 'ok' && report.status !== 'failed')
      ) {
        throw new OtpError('INVALID_INPUT', 'correct: not a delivery report', { provider: 'correct' });
      }
      return {
        provider: 'correct',
        messageId: report.id,
        status: report.status === 'ok' ? 'delivered' : 'undelivered',
        providerStatus: report.status,
        at: new Date(),
      };
    }),
  };
}

for (const [name, create] of [
  ['broken', createBrokenProvider],
  ['correct', createCorrectProvider],
] as const) {
  describeProviderConformance({
    name,
    abortWithinMs: 300,
    setup() {
      const script: { next: Next } = { next: undefined };
      return {
        provider: create(script),
        secrets: [API_KEY],
        behave(scenario) {
          script.next = scenario;
        },
        deliveryReports: {
          delivered: (id) => ({ id, status: 'ok' }),
          failed: (id) => ({ id, status: 'failed' }),
        },
        reset() {
          script.next = undefined;
        },
      };
    },
  });
}
