import { Fifo } from '../queue.js';
import { type Job, QUEUED } from './job.js';

/**
 * The sends that wait for a free slot, in FIFO order, and the one timer that fails them at their
 * deadline: they all wait with the same `deadlineMs`, so the head always expires first. A send that
 * leaves early (aborted) stays in the FIFO, marked done, and is skipped.
 */
export class SendQueue {
  readonly #fifo = new Fifo<Job>();
  readonly #onExpired: (job: Job) => void;
  #waiting = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `onExpired` ends a queued send whose deadline passed. */
  constructor(onExpired: (job: Job) => void) {
    this.#onExpired = onExpired;
  }

  /** Sends waiting. */
  get waiting(): number {
    return this.#waiting;
  }

  push(job: Job): void {
    this.#waiting++;
    this.#fifo.push(job);
  }

  /** The next send still waiting, taken off the queue; `undefined` when none is. */
  take(): Job | undefined {
    for (let job = this.#fifo.shift(); job !== undefined; job = this.#fifo.shift()) {
      if (job.state !== QUEUED) continue;
      this.#waiting--;
      return job;
    }
    return undefined;
  }

  /** A waiting send ended before its turn (caller's abort, deadline). */
  left(): void {
    this.#waiting--;
  }

  /** Sets the timer for the head's deadline, unless one is set. It never keeps a process alive. */
  armExpiry(): void {
    if (this.#timer !== undefined || this.#waiting === 0) return;
    const head = this.#fifo.peek();
    if (head === undefined) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#expire();
      },
      Math.max(0, head.deadline - Date.now()),
    );
    this.#timer.unref?.();
  }

  /** Stops the timer (the dispatcher drained). */
  disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Fails the queued sends whose deadline has passed (they sit at the head: FIFO, one deadlineMs). */
  #expire(): void {
    const now = Date.now();
    for (let head = this.#fifo.peek(); head !== undefined; head = this.#fifo.peek()) {
      if (head.state === QUEUED && head.deadline > now) break;
      this.#fifo.shift();
      if (head.state === QUEUED) this.#onExpired(head);
    }
    this.armExpiry();
  }
}
