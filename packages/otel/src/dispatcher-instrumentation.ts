import {
  type Attributes,
  context,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  ValueType,
} from '@opentelemetry/api';
import { destinationPrefix } from './destination-prefix.js';
import { ATTRIBUTES, INSTRUMENTATION_NAME, METRICS, SPAN_EVENTS, SPANS } from './names.js';
import { errorAttributes, type Flight, wrapProvider } from './provider-spans.js';
import type {
  InstrumentableDispatcher,
  Instrumentation,
  InstrumentOptions,
  ObservedDispatcherEvents,
} from './types.js';

const BREAKER_VALUES: Readonly<Record<string, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * Traces and measures a dispatcher through its public events, and wraps its providers' `send` so each
 * attempt is a child span in which the vendor's HTTP call runs (an instrumented `fetch` nests under it).
 */
export function instrumentDispatcher(
  dispatcher: InstrumentableDispatcher,
  options: InstrumentOptions,
): Instrumentation {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME);
  const prefixOf = (to: string) => destinationPrefix(to, options.prefixDigits);

  const sends = meter.createCounter(METRICS.sends, {
    description: 'OTP sends that ended, by provider (the last one tried) and outcome (sent, failed)',
    unit: '{send}',
  });
  const duration = meter.createHistogram(METRICS.sendDuration, {
    description:
      'Time from acceptance by the dispatcher to the end of the send (queue, attempts, backoff, failover)',
    unit: 's',
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] },
  });
  const attemptsPerSend = meter.createHistogram(METRICS.sendAttempts, {
    description: 'Attempts one send took over all providers',
    unit: '{attempt}',
    valueType: ValueType.INT,
    advice: { explicitBucketBoundaries: [1, 2, 3, 4, 5, 6, 8, 12] },
  });
  const attempts = meter.createCounter(METRICS.attempts, {
    description: 'Calls to a provider, by provider and outcome (ok, or the error code)',
    unit: '{attempt}',
  });
  const retries = meter.createCounter(METRICS.retries, {
    description: 'Retries on the same provider, by provider and the error code that caused them',
    unit: '{retry}',
  });
  const failovers = meter.createCounter(METRICS.failovers, {
    description: 'Moves from one provider to the next, by the provider left and the error code',
    unit: '{failover}',
  });
  const breakerState = meter.createObservableGauge(METRICS.breakerState, {
    description: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open',
    valueType: ValueType.INT,
  });
  const waiting = meter.createObservableGauge(METRICS.queueWaiting, {
    description: 'Sends accepted and waiting for a free slot',
    unit: '{send}',
    valueType: ValueType.INT,
  });
  const inFlight = meter.createObservableGauge(METRICS.queueInFlight, {
    description: 'Sends being attempted',
    unit: '{send}',
    valueType: ValueType.INT,
  });
  const observe = (
    result: { observe(value: number, attributes?: Attributes): void },
    read: 'breaker' | 'waiting' | 'inFlight',
  ) => {
    const health = dispatcher.health();
    if (read === 'waiting') result.observe(health.queued);
    else if (read === 'inFlight') result.observe(health.inFlight);
    else {
      for (const provider of health.providers) {
        result.observe(BREAKER_VALUES[provider.state] ?? 0, { [ATTRIBUTES.provider]: provider.id });
      }
    }
  };
  const observeBreaker = (result: Parameters<typeof observe>[0]) => observe(result, 'breaker');
  const observeWaiting = (result: Parameters<typeof observe>[0]) => observe(result, 'waiting');
  const observeInFlight = (result: Parameters<typeof observe>[0]) => observe(result, 'inFlight');
  breakerState.addCallback(observeBreaker);
  waiting.addCallback(observeWaiting);
  inFlight.addCallback(observeInFlight);

  const flights = new Map<string, Flight>();
  /** Messages a provider got, to their send: the dispatcher hands the same frozen message to every attempt. */
  const byMessage = new WeakMap<object, Flight>();

  const listeners: { [E in keyof ObservedDispatcherEvents]: (event: ObservedDispatcherEvents[E]) => void } = {
    // Emitted synchronously inside send() / enqueue(): the active context is the caller's.
    queued(event) {
      const parent = context.active();
      const span = tracer.startSpan(
        SPANS.send,
        {
          kind: SpanKind.INTERNAL,
          startTime: event.queuedAt,
          attributes: {
            [ATTRIBUTES.dispatchId]: event.id,
            [ATTRIBUTES.prefix]: prefixOf(event.to),
            [ATTRIBUTES.provider]: event.provider,
          },
        },
        parent,
      );
      flights.set(event.id, {
        id: event.id,
        to: event.to,
        reference: (event as { reference?: string }).reference,
        span,
        parent,
        queuedAt: event.queuedAt,
        bound: false,
        dequeued: false,
      });
    },
    retrying(event) {
      const provider = event.provider;
      retries.add(1, { [ATTRIBUTES.provider]: provider, [ATTRIBUTES.errorCode]: event.error.code });
      flights.get(event.id)?.span.addEvent(
        SPAN_EVENTS.retrying,
        {
          [ATTRIBUTES.provider]: provider,
          [ATTRIBUTES.attempt]: event.attempt,
          [ATTRIBUTES.errorCode]: event.error.code,
          [ATTRIBUTES.delayMs]: event.delayMs,
        },
        event.at,
      );
    },
    failover(event) {
      failovers.add(1, { [ATTRIBUTES.provider]: event.provider, [ATTRIBUTES.errorCode]: event.error.code });
      flights.get(event.id)?.span.addEvent(
        SPAN_EVENTS.failover,
        {
          [ATTRIBUTES.provider]: event.provider,
          [ATTRIBUTES.nextProvider]: event.nextProvider,
          [ATTRIBUTES.errorCode]: event.error.code,
        },
        event.at,
      );
    },
    sent(event) {
      const labels = { [ATTRIBUTES.provider]: event.provider, [ATTRIBUTES.outcome]: 'sent' };
      sends.add(1, labels);
      duration.record(event.elapsedMs / 1000, labels);
      attemptsPerSend.record(event.attempt, { [ATTRIBUTES.outcome]: 'sent' });
      const flight = flights.get(event.id);
      if (!flight) return;
      flights.delete(event.id);
      flight.span.setAttributes({
        [ATTRIBUTES.provider]: event.provider,
        [ATTRIBUTES.outcome]: 'sent',
        [ATTRIBUTES.attempts]: event.attempt,
        [ATTRIBUTES.unconfirmedAttempts]: event.unconfirmedAttempts,
        [ATTRIBUTES.messageId]: event.receipt.messageId,
      });
      flight.span.end(event.at);
    },
    failed(event) {
      const labels = {
        [ATTRIBUTES.provider]: event.provider,
        [ATTRIBUTES.outcome]: 'failed',
        [ATTRIBUTES.errorCode]: event.error.code,
      };
      sends.add(1, labels);
      duration.record(event.elapsedMs / 1000, labels);
      attemptsPerSend.record(event.attempt, { [ATTRIBUTES.outcome]: 'failed' });
      const flight = flights.get(event.id);
      if (!flight) return;
      flights.delete(event.id);
      flight.span.setAttributes({
        [ATTRIBUTES.provider]: event.provider,
        [ATTRIBUTES.outcome]: 'failed',
        [ATTRIBUTES.attempts]: event.attempt,
        [ATTRIBUTES.unconfirmedAttempts]: event.unconfirmedAttempts,
        ...errorAttributes(event.error),
      });
      // The code, not the message: messages are redacted, but an attribute set is forever.
      flight.span.setStatus({ code: SpanStatusCode.ERROR, message: event.error.code });
      flight.span.end(event.at);
    },
  };
  for (const [name, listener] of Object.entries(listeners)) {
    dispatcher.on(name as never, listener as never);
  }

  /**
   * The send a provider call belongs to: the one its message was first seen with, else the oldest send
   * to that number (and reference) not yet started. The dispatcher starts sends in the order it
   * accepted them (one FIFO queue), so the oldest is the one.
   */
  const flightFor = (message: { to: string; reference?: string }): Flight | undefined => {
    const known = byMessage.get(message);
    if (known) return flights.get(known.id) === known ? known : undefined;
    for (const flight of flights.values()) {
      if (!flight.bound && flight.to === message.to && flight.reference === message.reference) {
        flight.bound = true;
        byMessage.set(message, flight);
        return flight;
      }
    }
    return undefined;
  };

  const restore: (() => void)[] = [];
  for (const id of dispatcher.providers) {
    const provider = dispatcher.getProvider(id);
    if (provider) restore.push(wrapProvider(provider, tracer, flightFor, attempts));
  }

  return {
    uninstrument() {
      for (const [name, listener] of Object.entries(listeners)) {
        dispatcher.off(name as never, listener as never);
      }
      breakerState.removeCallback(observeBreaker);
      waiting.removeCallback(observeWaiting);
      inFlight.removeCallback(observeInFlight);
      for (const undo of restore.splice(0)) undo();
      for (const flight of flights.values()) flight.span.end();
      flights.clear();
    },
  };
}
