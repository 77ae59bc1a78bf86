// Dispatcher cost without I/O, in a fresh process (run with --expose-gc):
//   node --expose-gc dispatcher-only.js <n> [otel]
// With `otel`, the dispatcher is instrumented by @otpkit/otel with the OpenTelemetry SDK's tracer and
// meter (every span ended and handed to an exporter that drops it, metrics recorded): the cost of the
// instrumented send beside the plain one.

import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createDispatcher, type Dispatcher, type OtpProvider } from '@otpkit/core';
import { instrument } from '@otpkit/otel';
import { createFakeProvider } from '@otpkit/provider-fake';

const n = Number(process.argv[2] ?? '200000');
const withOtel = process.argv[3] === 'otel';

/** Ends every span through the SDK's span processor, then drops it (no memory held, no I/O). */
const dropping: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

function instrumented(dispatcher: Dispatcher): void {
  if (!withOtel) return;
  instrument(dispatcher, {
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(dropping)] }),
    meterProvider: new MeterProvider(),
  });
}
const concurrency = 64;
const gc = (globalThis as { gc?: () => void }).gc;

async function throughput(): Promise<number> {
  const fake = createFakeProvider();
  const dispatcher = createDispatcher({ providers: [fake], concurrency, maxQueue: n });
  instrumented(dispatcher);
  const messages = Array.from({ length: n }, (_, index) => ({
    to: `+1415${String(5_000_000 + index).padStart(7, '0')}`,
    body: `Your login code is ${100_000 + (index % 900_000)}`,
  }));
  // Warm-up, then measure: `concurrency` workers each awaiting one send at a time, as an app would.
  const pass = async (count: number) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        await dispatcher.send(messages[next++]!);
        if (fake.messages.length > 10_000) fake.reset();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await pass(Math.min(20_000, n));
  const started = performance.now();
  await pass(n);
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  return n / seconds;
}

async function heapPerQueued(): Promise<number> {
  const count = 50_000;
  const never: OtpProvider = { id: 'never', send: () => new Promise(() => {}) };
  const messages = Array.from({ length: count }, (_, index) => ({
    to: `+1415${String(5_000_000 + index).padStart(7, '0')}`,
    body: `Your login code is ${100_000 + index}`,
  }));
  const dispatcher = createDispatcher({
    providers: [never],
    concurrency: 1,
    maxQueue: count,
    timeoutMs: 600_000,
    deadlineMs: 600_000,
  });
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (const message of messages) dispatcher.enqueue(message);
  gc?.();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  const perMessage = (after - before) / count;
  if (dispatcher.queued < count - 1) throw new Error('not all queued');
  return perMessage;
}

const sendsPerSecond = await throughput();
const heapBytes = withOtel ? Number.NaN : await heapPerQueued();
process.stdout.write(
  `${JSON.stringify({ sendsPerSecond, heapBytesPerQueued: heapBytes, gc: Boolean(gc) })}\n`,
);
process.exit(0);
