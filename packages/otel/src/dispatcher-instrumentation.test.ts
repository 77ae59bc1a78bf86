import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createDispatcher, OtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrument } from './index.js';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

let spans: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let meterProvider: MeterProvider;
beforeEach(() => {
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  meterProvider = new MeterProvider({ readers: [reader] });
});

async function collect(): Promise<Map<string, { attributes: Record<string, unknown>; value: unknown }[]>> {
  await reader.forceFlush();
  const all = metricExporter.getMetrics() as ResourceMetrics[];
  const latest = all.at(-1)!;
  const byName = new Map<string, { attributes: Record<string, unknown>; value: unknown }[]>();
  for (const scope of latest.scopeMetrics) {
    for (const metric of scope.metrics) {
      byName.set(
        metric.descriptor.name,
        metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value })),
      );
    }
  }
  return byName;
}

const TO = '+919876543210';
const BODY = 'Your code is 482913';

/** A run with two retries on the first vendor, then a failover to the second. */
function flakyDispatcher() {
  const first = createFakeProvider({ id: 'first' });
  const second = createFakeProvider({ id: 'second' });
  first.failNext('PROVIDER_UNAVAILABLE', 3);
  const dispatcher = createDispatcher({
    providers: [first, second],
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
  });
  return { dispatcher, first, second };
}

function everyAttributeValue(): string[] {
  return spans
    .getFinishedSpans()
    .flatMap((span) => [
      ...Object.values(span.attributes).map(String),
      ...span.events.flatMap((event) => Object.values(event.attributes ?? {}).map(String)),
      span.status.message ?? '',
    ]);
}

describe('instrument(dispatcher)', () => {
  it('one span per send in the caller context, an attempt child per call, retries and failover as events', async () => {
    const { dispatcher } = flakyDispatcher();
    let vendorCallParent: string | undefined;
    const second = dispatcher.getProvider('second')!;
    const send = second.send;
    // Stands for an instrumented fetch inside the provider: whatever is active there is its parent.
    second.send = function (message, sendContext) {
      vendorCallParent = trace.getActiveSpan()?.spanContext().spanId;
      return send.call(this, message, sendContext);
    };
    instrument(dispatcher, { tracerProvider, meterProvider });
    const tracer = tracerProvider.getTracer('app');
    await tracer.startActiveSpan('POST /login', async (request) => {
      await dispatcher.send({ to: TO, body: BODY });
      request.end();
    });

    const finished = spans.getFinishedSpans();
    const root = finished.find((span) => span.name === 'POST /login')!;
    const sendSpan = finished.find((span) => span.name === 'otpkit.send')!;
    const attempts = finished.filter((span) => span.name === 'otpkit.attempt');
    expect(sendSpan.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(sendSpan.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(attempts).toHaveLength(4);
    for (const attempt of attempts)
      expect(attempt.parentSpanContext?.spanId).toBe(sendSpan.spanContext().spanId);
    expect(
      attempts.map((span) => [
        span.attributes['otpkit.provider'],
        span.attributes['otpkit.attempt'],
        span.attributes['otpkit.error.code'],
      ]),
    ).toEqual([
      ['first', 1, 'PROVIDER_UNAVAILABLE'],
      ['first', 2, 'PROVIDER_UNAVAILABLE'],
      ['first', 3, 'PROVIDER_UNAVAILABLE'],
      ['second', 4, undefined],
    ]);
    expect(vendorCallParent).toBe(attempts[3]!.spanContext().spanId);
    expect(sendSpan.attributes).toMatchObject({
      'otpkit.provider': 'second',
      'otpkit.outcome': 'sent',
      'otpkit.attempts': 4,
      'otpkit.destination.prefix': '+91',
      'otpkit.unconfirmed_attempts': 0,
    });
    expect(typeof sendSpan.attributes['otpkit.queue.wait_ms']).toBe('number');
    expect(sendSpan.events.map((event) => event.name)).toEqual([
      'otpkit.dequeued',
      'otpkit.retrying',
      'otpkit.retrying',
      'otpkit.failover',
    ]);
    expect(sendSpan.events[1]!.attributes).toMatchObject({
      'otpkit.error.code': 'PROVIDER_UNAVAILABLE',
      'otpkit.attempt': 1,
    });
    expect(sendSpan.events[3]!.attributes).toMatchObject({
      'otpkit.provider': 'first',
      'otpkit.failover.next_provider': 'second',
    });
    await dispatcher.close();
  });

  it('a failed send ends its span with the error code and status, never the message', async () => {
    const only = createFakeProvider({ id: 'only' });
    only.failNext(
      new OtpError('REJECTED', `only: refused ${TO} with ${BODY}`, {
        provider: 'only',
        providerCode: 'E413',
      }),
    );
    const dispatcher = createDispatcher({ providers: [only] });
    instrument(dispatcher, { tracerProvider, meterProvider });
    await expect(dispatcher.send({ to: TO, body: BODY })).rejects.toThrow();
    const sendSpan = spans.getFinishedSpans().find((span) => span.name === 'otpkit.send')!;
    expect(sendSpan.status).toEqual({ code: 2, message: 'REJECTED' });
    expect(sendSpan.attributes).toMatchObject({
      'otpkit.outcome': 'failed',
      'otpkit.error.code': 'REJECTED',
      'error.type': 'REJECTED',
      'otpkit.error.provider_code': 'E413',
    });
    await dispatcher.close();
  });

  it('metrics: sends by provider and outcome, duration, attempts per send, retries, failovers, breaker state', async () => {
    const { dispatcher } = flakyDispatcher();
    instrument(dispatcher, { tracerProvider, meterProvider });
    await dispatcher.send({ to: TO, body: BODY });
    const metrics = await collect();
    expect(metrics.get('otpkit.sends')).toEqual([
      { attributes: { 'otpkit.provider': 'second', 'otpkit.outcome': 'sent' }, value: 1 },
    ]);
    const duration = metrics.get('otpkit.send.duration')![0]!;
    expect(duration.attributes).toEqual({ 'otpkit.provider': 'second', 'otpkit.outcome': 'sent' });
    expect((duration.value as { count: number }).count).toBe(1);
    expect((metrics.get('otpkit.send.attempts')![0]!.value as { sum: number }).sum).toBe(4);
    expect(metrics.get('otpkit.retries')).toEqual([
      { attributes: { 'otpkit.provider': 'first', 'otpkit.error.code': 'PROVIDER_UNAVAILABLE' }, value: 2 },
    ]);
    expect(metrics.get('otpkit.failovers')).toEqual([
      { attributes: { 'otpkit.provider': 'first', 'otpkit.error.code': 'PROVIDER_UNAVAILABLE' }, value: 1 },
    ]);
    expect(metrics.get('otpkit.attempts')).toEqual(
      expect.arrayContaining([
        { attributes: { 'otpkit.provider': 'first', 'otpkit.outcome': 'PROVIDER_UNAVAILABLE' }, value: 3 },
        { attributes: { 'otpkit.provider': 'second', 'otpkit.outcome': 'ok' }, value: 1 },
      ]),
    );
    expect(metrics.get('otpkit.breaker.state')).toEqual([
      { attributes: { 'otpkit.provider': 'first' }, value: 0 },
      { attributes: { 'otpkit.provider': 'second' }, value: 0 },
    ]);
    expect(metrics.get('otpkit.queue.waiting')).toEqual([{ attributes: {}, value: 0 }]);
    await dispatcher.close();
  });

  it('the breaker gauge reads 2 once a provider is open', async () => {
    const down = createFakeProvider({ id: 'down' });
    const up = createFakeProvider({ id: 'up' });
    down.failWhen(() => true, 'PROVIDER_UNAVAILABLE');
    const dispatcher = createDispatcher({
      providers: [down, up],
      retry: { retries: 0 },
      breaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    instrument(dispatcher, { tracerProvider, meterProvider });
    for (let index = 0; index < 3; index++) await dispatcher.send({ to: '+14155550123', body: BODY });
    const metrics = await collect();
    expect(metrics.get('otpkit.breaker.state')).toContainEqual({
      attributes: { 'otpkit.provider': 'down' },
      value: 2,
    });
    await dispatcher.close();
  });

  it('concurrent sends queued behind each other each get their own span and attempts', async () => {
    const fake = createFakeProvider({ id: 'fake', latencyMs: 5 });
    const dispatcher = createDispatcher({ providers: [fake], concurrency: 1 });
    instrument(dispatcher, { tracerProvider, meterProvider });
    const tracer = tracerProvider.getTracer('app');
    const numbers = ['+14155550101', '+14155550102', '+14155550101'];
    await Promise.all(
      numbers.map((to, index) =>
        tracer.startActiveSpan(`request ${index}`, async (span) => {
          await dispatcher.send({ to, body: BODY, reference: `r${index}` });
          span.end();
        }),
      ),
    );
    const finished = spans.getFinishedSpans();
    for (let index = 0; index < numbers.length; index++) {
      const request = finished.find((span) => span.name === `request ${index}`)!;
      const sendSpan = finished.find(
        (span) =>
          span.name === 'otpkit.send' && span.parentSpanContext?.spanId === request.spanContext().spanId,
      )!;
      const attempt = finished.filter(
        (span) =>
          span.name === 'otpkit.attempt' && span.parentSpanContext?.spanId === sendSpan.spanContext().spanId,
      );
      expect(attempt).toHaveLength(1);
    }
    await dispatcher.close();
  });

  it('no attribute carries the code, the body or the whole number; a prefix length can be chosen', async () => {
    const { dispatcher } = flakyDispatcher();
    instrument(dispatcher, { tracerProvider, meterProvider, prefixDigits: 4 });
    await dispatcher.send({ to: TO, body: BODY });
    const values = everyAttributeValue();
    expect(values).toContain('+9198');
    for (const value of values) {
      expect(value).not.toContain('482913');
      expect(value).not.toContain(TO.slice(1, 8));
      expect(value).not.toContain('Your code');
    }
    const metrics = await collect();
    expect(JSON.stringify([...metrics])).not.toMatch(/482913|9876543210/);
    await dispatcher.close();
  });

  it('uninstrument removes listeners and restores the providers', async () => {
    const fake = createFakeProvider();
    const original = fake.send;
    const dispatcher = createDispatcher({ providers: [fake] });
    const listeners = dispatcher.listenerCount('sent');
    const handle = instrument(dispatcher, { tracerProvider, meterProvider });
    expect(fake.send).not.toBe(original);
    handle.uninstrument();
    expect(fake.send).toBe(original);
    expect(dispatcher.listenerCount('sent')).toBe(listeners);
    await dispatcher.send({ to: TO, body: BODY });
    expect(spans.getFinishedSpans()).toHaveLength(0);
    await dispatcher.close();
  });

  it('refuses what is neither a dispatcher nor a verifier, and bad options', () => {
    expect(() => instrument({} as never)).toThrow(/expected a dispatcher/);
    const dispatcher = createDispatcher({ providers: [createFakeProvider()] });
    expect(() => instrument(dispatcher, { prefixDigits: 9 })).toThrow(/prefixDigits/);
  });
});
