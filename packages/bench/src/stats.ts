export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/** Result of one client process. */
export interface ClientResult {
  kind: string;
  n: number;
  concurrency: number;
  seconds: number;
  throughput: number;
  p50: number;
  p99: number;
  cpuUsPerSend: number;
  errors: number;
}

/** `count` calls of `run(index)`, by `concurrency` callers each awaiting one at a time: calls per second. */
export async function perSecond(
  count: number,
  concurrency: number,
  run: (index: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await run(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
