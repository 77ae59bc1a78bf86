import type { EventEmitter } from 'eventemitter3';
import { lazyRequire } from './dispatcher/lazy-require.js';

// biome-ignore lint/suspicious/noExplicitAny: listeners of any payload
type Listener = (...args: any[]) => unknown;

let eventEmitter: (new () => EventEmitter) | undefined;

/**
 * Typed events on eventemitter3 where a listener that throws, or returns a rejected promise, affects
 * neither the emitter nor the other listeners: its error goes to `onError`. The wrapper of a listener is
 * remembered, so `off(listener)` finds it. The dispatcher's and the verifier's events are one of these.
 * eventemitter3 is loaded when the first one is made, not at import.
 */
export class SafeEmitter<Events extends { [E in keyof Events]: Listener }> {
  readonly #emitter: EventEmitter;
  readonly #wrapped = new Map<keyof Events, WeakMap<Listener, Listener>>();
  readonly #onError: (error: unknown, event: keyof Events & string) => void;

  /** `onError` gets what a listener threw, and the event; if it throws too, that is dropped. */
  constructor(onError: (error: unknown, event: keyof Events & string) => void) {
    eventEmitter ??= (lazyRequire('eventemitter3') as { EventEmitter: new () => EventEmitter }).EventEmitter;
    this.#emitter = new eventEmitter();
    this.#onError = onError;
  }

  on<E extends keyof Events & string>(event: E, listener: Events[E]): void {
    this.#emitter.on(event, this.#wrap(event, listener));
  }

  once<E extends keyof Events & string>(event: E, listener: Events[E]): void {
    this.#emitter.once(event, this.#wrap(event, listener));
  }

  /** Removes a listener, or every listener of the event when none is given. */
  off<E extends keyof Events & string>(event: E, listener?: Events[E]): void {
    if (listener === undefined) {
      this.#emitter.removeAllListeners(event);
      return;
    }
    const wrapper = this.#wrapped.get(event)?.get(listener);
    if (wrapper) this.#emitter.off(event, wrapper);
  }

  /** Listeners of an event: build no payload for an event nobody listens to. */
  listenerCount(event: keyof Events & string): number {
    return this.#emitter.listenerCount(event);
  }

  emit<E extends keyof Events & string>(event: E, payload: Parameters<Events[E]>[0]): void {
    this.#emitter.emit(event, payload);
  }

  #wrap(event: keyof Events & string, listener: Listener): Listener {
    let byListener = this.#wrapped.get(event);
    if (!byListener) {
      byListener = new WeakMap();
      this.#wrapped.set(event, byListener);
    }
    let wrapper = byListener.get(listener);
    if (!wrapper) {
      const report = (error: unknown) => {
        try {
          this.#onError(error, event);
        } catch {
          // The app's error handler failed too; the emitter goes on.
        }
      };
      wrapper = (...args: unknown[]) => {
        try {
          const result = listener(...args) as { then?: unknown } | undefined;
          if (result && typeof result.then === 'function')
            (result as Promise<unknown>).then(undefined, report);
        } catch (error) {
          report(error);
        }
      };
      byListener.set(listener, wrapper);
    }
    return wrapper;
  }
}
