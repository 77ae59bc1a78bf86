import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fifo } from './queue.js';

describe('Fifo', () => {
  it('is empty at first: size 0, shift gives undefined', () => {
    const fifo = new Fifo<number>();
    expect(fifo.size).toBe(0);
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.size).toBe(0);
  });

  it('gives items back in the order they were pushed', () => {
    const fifo = new Fifo<string>();
    fifo.push('a');
    fifo.push('b');
    fifo.push('c');
    expect(fifo.size).toBe(3);
    expect(fifo.shift()).toBe('a');
    fifo.push('d');
    expect([fifo.shift(), fifo.shift(), fifo.shift()]).toEqual(['b', 'c', 'd']);
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.size).toBe(0);
  });

  it('keeps order and size across the compaction of a long queue', () => {
    const fifo = new Fifo<number>();
    for (let index = 0; index < 5000; index++) fifo.push(index);
    const out: number[] = [];
    for (let index = 0; index < 3000; index++) out.push(fifo.shift()!);
    expect(fifo.size).toBe(2000);
    for (let index = 5000; index < 6000; index++) fifo.push(index);
    expect(fifo.size).toBe(3000);
    let item = fifo.shift();
    while (item !== undefined) {
      out.push(item);
      item = fifo.shift();
    }
    expect(out).toEqual(Array.from({ length: 6000 }, (_, index) => index));
    expect(fifo.size).toBe(0);
  });

  it('behaves like an array queue over any sequence of pushes and shifts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.constant(-1)), { maxLength: 3000 }),
        (ops) => {
          const fifo = new Fifo<number>();
          const model: number[] = [];
          for (const op of ops) {
            if (op === -1) {
              expect(fifo.shift()).toBe(model.shift());
            } else {
              fifo.push(op);
              model.push(op);
            }
            expect(fifo.size).toBe(model.length);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
