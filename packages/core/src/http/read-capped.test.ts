import { describe, expect, it } from 'vitest';
import { readCapped } from '../http.js';

const stream = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

describe('readCapped', () => {
  it('reads a body of any number of chunks up to the cap, UTF-8', async () => {
    expect(await readCapped(stream('héllo ', 'wörld'), 64)).toBe('héllo wörld');
    expect(await readCapped(stream('abc'), 3)).toBe('abc');
    expect(await readCapped(null, 1)).toBe('');
  });

  it('gives undefined past the cap and cancels the rest, unread', async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await readCapped(endless, 4096)).toBeUndefined();
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it('throws what the stream throws, and stops when the signal aborts', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.error(new TypeError('terminated'));
      },
    });
    await expect(readCapped(failing, 64)).rejects.toThrow('terminated');
    const controller = new AbortController();
    const hanging = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const read = readCapped(hanging, 64, controller.signal);
    controller.abort();
    expect(await read).toBe('');
  });
});
