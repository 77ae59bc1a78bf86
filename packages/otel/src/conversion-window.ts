/** Buckets a window is cut into: the rate moves in steps of a twelfth of the window. */
const BUCKETS = 12;

/** Most prefixes tracked at once; past it the least recently started prefix is forgotten. */
export const MAX_TRACKED_PREFIXES = 1000;

interface Counts {
  starts: number[];
  approvals: number[];
  /** Index of the bucket each slot last counted, to clear slots the window left behind. */
  epochs: number[];
}

/**
 * First sends and approvals per prefix over a sliding window, in a fixed number of buckets: memory is
 * bounded by the number of prefixes (country calling codes, or a short prefix), not by traffic.
 */
export function createConversionWindow(windowMs: number, now: () => number = Date.now) {
  const bucketMs = Math.max(1, Math.floor(windowMs / BUCKETS));
  const byPrefix = new Map<string, Counts>();

  const slot = (prefix: string, create: boolean): { counts: Counts; index: number } | undefined => {
    let counts = byPrefix.get(prefix);
    if (!counts) {
      if (!create) return undefined;
      if (byPrefix.size >= MAX_TRACKED_PREFIXES) byPrefix.delete(byPrefix.keys().next().value!);
      counts = {
        starts: new Array(BUCKETS).fill(0),
        approvals: new Array(BUCKETS).fill(0),
        epochs: new Array(BUCKETS).fill(-1),
      };
      byPrefix.set(prefix, counts);
    } else if (create) {
      // Most recently started last, so the oldest is the one forgotten.
      byPrefix.delete(prefix);
      byPrefix.set(prefix, counts);
    }
    const epoch = Math.floor(now() / bucketMs);
    const index = epoch % BUCKETS;
    if (counts.epochs[index] !== epoch) {
      counts.epochs[index] = epoch;
      counts.starts[index] = 0;
      counts.approvals[index] = 0;
    }
    return { counts, index };
  };

  return {
    started(prefix: string): void {
      const found = slot(prefix, true)!;
      found.counts.starts[found.index]!++;
    },
    approved(prefix: string): void {
      const found = slot(prefix, false);
      if (found) found.counts.approvals[found.index]!++;
    },
    /** Per prefix with at least `minStarts` first sends in the window: approvals / first sends, at most 1. */
    rates(minStarts: number): Map<string, number> {
      const epoch = Math.floor(now() / bucketMs);
      const rates = new Map<string, number>();
      for (const [prefix, counts] of byPrefix) {
        let starts = 0;
        let approvals = 0;
        for (let index = 0; index < BUCKETS; index++) {
          if (epoch - counts.epochs[index]! >= BUCKETS) continue;
          starts += counts.starts[index]!;
          approvals += counts.approvals[index]!;
        }
        if (starts >= minStarts && starts > 0) rates.set(prefix, Math.min(1, approvals / starts));
      }
      return rates;
    },
  };
}
