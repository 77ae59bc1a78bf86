import type { EventEmitter } from 'eventemitter3';
import type { DispatcherEventName, DispatcherEvents } from '../events.js';
import { lazyRequire } from './lazy-require.js';

type Listener = (...args: never[]) => unknown;

let eventEmitter: (new () => EventEmitter<DispatcherEvents>) | undefined;

/**
 * The dispatcher's typed events on eventemitter3, each listener wrapped so that one that throws (or
 * rejects) is reported to `onListenerError` and never breaks the send or the other listeners. The
 * wrapper of a listener is remembered, so `off(listener)` finds it.
 */
export class Listeners {
  readonly #emitter: EventEmitter<DispatcherEvents>;
  readonly #wrapped = new Map<DispatcherEventName, WeakMap<Listener, Listener>>();
  readonly #onError: (error: unknown, event: DispatcherEventName) => void;

  constructor(onError: (error: unknown, event: DispatcherEventName) => void) {
    eventEmitter ??= (
      lazyRequire('eventemitter3') as { EventEmitter: new () => EventEmitter<DispatcherEvents> }
    ).EventEmitter;
    this.#emitter = new eventEmitter();
    this.#onError = onError;
  }

  on<E extends DispatcherEventName>(event: E, listener: DispatcherEvents[E]): void {
    this.#emitter.on(event, this.#wrap(event, listener) as never);
  }

  once<E extends DispatcherEventName>(event: E, listener: DispatcherEvents[E]): void {
    this.#emitter.once(event, this.#wrap(event, listener) as never);
  }

  off<E extends DispatcherEventName>(event: E, listener?: DispatcherEvents[E]): void {
    if (listener === undefined) {
      this.#emitter.removeAllListeners(event);
    } else {
      const wrapper = this.#wrapped.get(event)?.get(listener as Listener);
      if (wrapper) this.#emitter.off(event, wrapper as never);
    }
  }

  /** Listeners of an event: the dispatcher builds no payload for an event nobody listens to. */
  count(event: DispatcherEventName): number {
    return this.#emitter.listenerCount(event);
  }

  emit<E extends DispatcherEventName>(event: E, payload: Parameters<DispatcherEvents[E]>[0]): void {
    (this.#emitter.emit as (event: E, payload: unknown) => boolean)(event, payload);
  }

  #wrap(event: DispatcherEventName, listener: Listener): Listener {
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
          // The app's error handler failed too; the send must go on.
        }
      };
      wrapper = (...args: never[]) => {
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
