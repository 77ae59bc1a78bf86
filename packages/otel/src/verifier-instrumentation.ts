import {
  type Attributes,
  context,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  ValueType,
} from '@opentelemetry/api';
import { createConversionWindow } from './conversion-window.js';
import { destinationPrefix } from './destination-prefix.js';
import { ATTRIBUTES, INSTRUMENTATION_NAME, METRICS, SPANS } from './names.js';
import type {
  InstrumentableVerifier,
  Instrumentation,
  InstrumentOptions,
  ObservedVerifierEvents,
} from './types.js';

/**
 * Measures a verifier through its events (starts, refusals) and its `check()` results (every status,
 * `expired` and `not_found` included, which have no event), and wraps `start()` and `check()` in spans
 * in the caller's context: the dispatcher's `otpkit.send` span of a start is its child.
 */
export function instrumentVerifier(
  verifier: InstrumentableVerifier,
  options: InstrumentOptions,
): Instrumentation {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME);
  const prefixOf = (to: unknown) => destinationPrefix(to, options.prefixDigits);
  const window = createConversionWindow(options.conversionWindowMs ?? 3_600_000);
  const minStarts = options.conversionMinStarts ?? 20;

  const starts = meter.createCounter(METRICS.verificationStarts, {
    description: 'Codes sent by verifier.start(), by destination prefix and whether it was a resend',
    unit: '{start}',
  });
  const checks = meter.createCounter(METRICS.verificationChecks, {
    description:
      'verifier.check() results by status (approved, pending = wrong code, expired, max_attempts_reached, not_found) and prefix',
    unit: '{check}',
  });
  const refusals = meter.createCounter(METRICS.verificationRefusals, {
    description: 'Starts refused before any SMS, by reason (cooldown, max_sends, pumping, ...) and prefix',
    unit: '{start}',
  });
  const conversion = meter.createObservableGauge(METRICS.conversionRate, {
    description:
      'Approved verifications over first sends in the window, by destination prefix (the SMS-pumping signal)',
    unit: '1',
    valueType: ValueType.DOUBLE,
  });
  const observeConversion = (result: { observe(value: number, attributes?: Attributes): void }) => {
    for (const [prefix, rate] of window.rates(minStarts))
      result.observe(rate, { [ATTRIBUTES.prefix]: prefix });
  };
  conversion.addCallback(observeConversion);

  const listeners: Partial<{
    [E in keyof ObservedVerifierEvents]: (event: ObservedVerifierEvents[E]) => void;
  }> = {
    started(event) {
      const prefix = prefixOf(event.to);
      starts.add(1, {
        [ATTRIBUTES.prefix]: prefix,
        [ATTRIBUTES.resend]: event.sends > 1,
        [ATTRIBUTES.testNumber]: event.testNumber,
      });
      if (event.sends === 1 && !event.testNumber) window.started(prefix);
    },
    refused(event) {
      refusals.add(1, { [ATTRIBUTES.prefix]: prefixOf(event.to), [ATTRIBUTES.refusalReason]: event.reason });
    },
  };
  for (const [name, listener] of Object.entries(listeners)) {
    verifier.on(name as never, listener as never);
  }

  const originalStart = verifier.start;
  const originalCheck = verifier.check;
  const startOwn = Object.hasOwn(verifier, 'start');
  const checkOwn = Object.hasOwn(verifier, 'check');

  const start: InstrumentableVerifier['start'] = function (this: unknown, input) {
    const span = tracer.startSpan(SPANS.verifyStart, {
      kind: SpanKind.INTERNAL,
      attributes: { [ATTRIBUTES.prefix]: prefixOf(input?.to) },
    });
    return context.with(trace.setSpan(context.active(), span), () =>
      Promise.resolve()
        .then(() => originalStart.call(this, input))
        .then(
          (result) => {
            span.setAttributes({ [ATTRIBUTES.sends]: result.sends, [ATTRIBUTES.outcome]: 'sent' });
            span.end();
            return result;
          },
          (error: unknown) => {
            const code = errorCode(error);
            span.setAttributes({
              [ATTRIBUTES.outcome]: 'failed',
              [ATTRIBUTES.errorCode]: code,
              [ATTRIBUTES.errorType]: code,
            });
            span.setStatus({ code: SpanStatusCode.ERROR, message: code });
            span.end();
            throw error;
          },
        ),
    );
  };
  const check: InstrumentableVerifier['check'] = function (this: unknown, input) {
    const prefix = prefixOf(input?.to);
    const span = tracer.startSpan(SPANS.verifyCheck, {
      kind: SpanKind.INTERNAL,
      attributes: { [ATTRIBUTES.prefix]: prefix },
    });
    return context.with(trace.setSpan(context.active(), span), () =>
      Promise.resolve()
        .then(() => originalCheck.call(this, input))
        .then(
          (result) => {
            checks.add(1, { [ATTRIBUTES.prefix]: prefix, [ATTRIBUTES.checkStatus]: result.status });
            if (result.status === 'approved') window.approved(prefix);
            span.setAttribute(ATTRIBUTES.checkStatus, result.status);
            span.end();
            return result;
          },
          (error: unknown) => {
            const code = errorCode(error);
            checks.add(1, {
              [ATTRIBUTES.prefix]: prefix,
              [ATTRIBUTES.checkStatus]: 'error',
              [ATTRIBUTES.errorCode]: code,
            });
            span.setAttributes({ [ATTRIBUTES.errorCode]: code, [ATTRIBUTES.errorType]: code });
            span.setStatus({ code: SpanStatusCode.ERROR, message: code });
            span.end();
            throw error;
          },
        ),
    );
  };
  Object.defineProperty(verifier, 'start', { value: start, configurable: true, writable: true });
  Object.defineProperty(verifier, 'check', { value: check, configurable: true, writable: true });

  return {
    uninstrument() {
      for (const [name, listener] of Object.entries(listeners)) {
        verifier.off(name as never, listener as never);
      }
      conversion.removeCallback(observeConversion);
      for (const [name, wrapped, original, own] of [
        ['start', start, originalStart, startOwn],
        ['check', check, originalCheck, checkOwn],
      ] as const) {
        if ((verifier as unknown as Record<string, unknown>)[name] !== wrapped) continue;
        if (own)
          Object.defineProperty(verifier, name, { value: original, configurable: true, writable: true });
        else delete (verifier as unknown as Record<string, unknown>)[name];
      }
    },
  };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNEXPECTED';
}
