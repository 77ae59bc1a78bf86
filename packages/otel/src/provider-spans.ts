import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ATTRIBUTES, SPAN_EVENTS, SPANS } from './names.js';
import type { ObservedError, ObservedProvider } from './types.js';

// The attempt spans: each provider's `send` wrapped so that one attempt is a child span of its send,
// and the vendor's HTTP call runs inside it.

/** One send in flight: its span, its caller's context, and the message once a provider first gets it. */
export interface Flight {
  id: string;
  to: string;
  reference: string | undefined;
  span: Span;
  parent: Context;
  queuedAt: number;
  bound: boolean;
  dequeued: boolean;
}

/**
 * Wraps `provider.send` so each attempt of a send in flight is a child span of the send's span; returns
 * the undo. A frozen provider is left alone (its sends are still traced from the events).
 */
export function wrapProvider(
  provider: ObservedProvider,
  tracer: Tracer,
  flightFor: (message: { to: string; reference?: string }) => Flight | undefined,
  attempts: { add(value: number, attributes?: Attributes): void },
): () => void {
  const original = provider.send;
  const own = Object.hasOwn(provider, 'send');
  const wrapped: ObservedProvider['send'] = function (this: unknown, message, sendContext) {
    const flight = message && typeof message === 'object' ? flightFor(message) : undefined;
    if (!flight) return original.call(this, message, sendContext);
    const now = Date.now();
    if (!flight.dequeued) {
      flight.dequeued = true;
      flight.span.setAttribute(ATTRIBUTES.queueWaitMs, now - flight.queuedAt);
      flight.span.addEvent(SPAN_EVENTS.dequeued, { [ATTRIBUTES.queueWaitMs]: now - flight.queuedAt }, now);
    }
    const span = tracer.startSpan(
      SPANS.attempt,
      {
        kind: SpanKind.INTERNAL,
        attributes: { [ATTRIBUTES.provider]: provider.id, [ATTRIBUTES.attempt]: sendContext?.attempt },
      },
      trace.setSpan(flight.parent, flight.span),
    );
    const settle = (error: ObservedError | undefined) => {
      if (error) {
        span.setAttributes(errorAttributes(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
      }
      attempts.add(1, {
        [ATTRIBUTES.provider]: provider.id,
        [ATTRIBUTES.outcome]: error ? error.code : 'ok',
      });
      span.end();
    };
    let pending: Promise<unknown>;
    try {
      pending = context.with(trace.setSpan(flight.parent, span), () =>
        original.call(this, message, sendContext),
      );
    } catch (error) {
      settle(asObservedError(error));
      throw error;
    }
    return Promise.resolve(pending).then(
      (receipt) => {
        settle(undefined);
        return receipt;
      },
      (error: unknown) => {
        settle(asObservedError(error));
        throw error;
      },
    );
  };
  try {
    Object.defineProperty(provider, 'send', { value: wrapped, configurable: true, writable: true });
  } catch {
    return () => {}; // a frozen provider: the send spans still come from events, without attempt spans
  }
  return () => {
    if (provider.send !== wrapped) return;
    if (own) Object.defineProperty(provider, 'send', { value: original, configurable: true, writable: true });
    else delete (provider as { send?: unknown }).send;
  };
}

export function asObservedError(error: unknown): ObservedError {
  const code = (error as { code?: unknown } | null)?.code;
  const providerCode = (error as { providerCode?: unknown } | null)?.providerCode;
  return {
    code: typeof code === 'string' ? code : 'UNEXPECTED',
    ...(typeof providerCode === 'string' ? { providerCode } : {}),
  };
}

export function errorAttributes(error: ObservedError): Attributes {
  return {
    [ATTRIBUTES.errorCode]: error.code,
    [ATTRIBUTES.errorType]: error.code,
    ...(typeof error.providerCode === 'string' && /^[\w.-]{1,32}$/.test(error.providerCode)
      ? { [ATTRIBUTES.providerCode]: error.providerCode }
      : {}),
  };
}
