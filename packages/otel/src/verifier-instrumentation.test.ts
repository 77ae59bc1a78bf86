import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createDispatcher } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createVerifier } from '@otpkit/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrument } from './index.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => context.disable());

function setup(options: Parameters<typeof instrument>[1] = {}) {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const fake = createFakeProvider();
  const dispatcher = createDispatcher({ providers: [fake] });
  const verifier = createVerifier({ dispatcher, secret: 'x'.repeat(32), resendAfterMs: 0 });
  instrument(dispatcher, { tracerProvider, meterProvider });
  instrument(verifier, { tracerProvider, meterProvider, ...options });
  const collect = async () => {
    await reader.forceFlush();
    const latest = exporter.getMetrics().at(-1)!;
    return new Map(
      latest.scopeMetrics.flatMap((scope) =>
        scope.metrics.map(
          (metric) =>
            [
              metric.descriptor.name,
              metric.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })),
            ] as const,
        ),
      ),
    );
  };
  return { spans, fake, dispatcher, verifier, collect };
}

describe('instrument(verifier)', () => {
  it('start and check spans in the caller context, the send span under the start span', async () => {
    const { spans, fake, verifier, dispatcher } = setup();
    await verifier.start({ to: '+919876543210' });
    const code = fake.lastCode('+919876543210')!;
    expect(await verifier.check({ to: '+919876543210', code })).toMatchObject({ status: 'approved' });
    const finished = spans.getFinishedSpans();
    const start = finished.find((span) => span.name === 'otpkit.verify.start')!;
    const send = finished.find((span) => span.name === 'otpkit.send')!;
    const check = finished.find((span) => span.name === 'otpkit.verify.check')!;
    expect(send.parentSpanContext?.spanId).toBe(start.spanContext().spanId);
    expect(start.attributes).toMatchObject({
      'otpkit.destination.prefix': '+91',
      'otpkit.outcome': 'sent',
      'otpkit.verify.sends': 1,
    });
    expect(check.attributes).toMatchObject({ 'otpkit.verify.status': 'approved' });
    const values = finished.flatMap((span) => Object.values(span.attributes).map(String));
    for (const value of values) {
      expect(value).not.toContain(code);
      expect(value).not.toContain('9876543210');
    }
    await dispatcher.close();
  });

  it('counts starts, and checks by status and prefix (not_found included); conversion rate by prefix', async () => {
    const { fake, verifier, dispatcher, collect } = setup({ conversionMinStarts: 2 });
    const indian = ['+919876543210', '+919876543211', '+919876543212', '+919876543213'];
    for (const to of indian) await verifier.start({ to });
    await verifier.start({ to: '+14155550123' });
    await verifier.check({ to: indian[0]!, code: fake.lastCode(indian[0]!)! });
    await verifier.check({
      to: indian[1]!,
      code: '000000' === fake.lastCode(indian[1]!) ? '111111' : '000000',
    });
    await verifier.check({ to: '+447700900000', code: '123456' });
    // Approved verifications are deleted: this is a new one, a first send again.
    await expect(verifier.start({ to: '+919876543210' })).resolves.toMatchObject({ sends: 1 });
    const metrics = await collect();
    expect(metrics.get('otpkit.verification.starts')).toEqual([
      {
        attributes: {
          'otpkit.destination.prefix': '+91',
          'otpkit.verify.resend': false,
          'otpkit.verify.test_number': false,
        },
        value: 5,
      },
      {
        attributes: {
          'otpkit.destination.prefix': '+1',
          'otpkit.verify.resend': false,
          'otpkit.verify.test_number': false,
        },
        value: 1,
      },
    ]);
    expect(metrics.get('otpkit.verification.checks')).toEqual(
      expect.arrayContaining([
        { attributes: { 'otpkit.destination.prefix': '+91', 'otpkit.verify.status': 'approved' }, value: 1 },
        { attributes: { 'otpkit.destination.prefix': '+91', 'otpkit.verify.status': 'pending' }, value: 1 },
        { attributes: { 'otpkit.destination.prefix': '+44', 'otpkit.verify.status': 'not_found' }, value: 1 },
      ]),
    );
    // +91: 1 approved of 5 first sends; +1 has 1 start, under conversionMinStarts.
    expect(metrics.get('otpkit.verification.conversion_rate')).toEqual([
      { attributes: { 'otpkit.destination.prefix': '+91' }, value: 0.2 },
    ]);
    await dispatcher.close();
  });

  it('refusals are counted by reason and prefix', async () => {
    const { dispatcher } = setup();
    const spans = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const blocking = createVerifier({ dispatcher, secret: 'y'.repeat(32), blockedPrefixes: ['+44'] });
    instrument(blocking, { tracerProvider, meterProvider });
    await expect(blocking.start({ to: '+447700900000' })).rejects.toMatchObject({ code: 'REJECTED' });
    await reader.forceFlush();
    const refusals = exporter
      .getMetrics()
      .at(-1)!
      .scopeMetrics.flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === 'otpkit.verification.refusals')!;
    expect(refusals.dataPoints.map((point) => [point.attributes, point.value])).toEqual([
      [{ 'otpkit.destination.prefix': '+44', 'otpkit.verify.refusal_reason': 'blocked' }, 1],
    ]);
    const start = spans.getFinishedSpans().find((span) => span.name === 'otpkit.verify.start')!;
    expect(start.status).toEqual({ code: 2, message: 'REJECTED' });
    await dispatcher.close();
  });
});
