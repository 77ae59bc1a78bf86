import { OtpError } from '../errors.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, type RequestContext } from './request-context.js';

/**
 * The time limit of one request made without a deadline: a controller that the caller's signal and one
 * timer abort. Both are held here, strongly, for as long as the request runs.
 */
export class TimeLimit {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #onAbort = () => this.#controller.abort(this.#caller.reason);

  constructor({ provider, signal, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS }: RequestContext) {
    this.#caller = signal;
    if (signal.aborted) this.#controller.abort(signal.reason);
    else signal.addEventListener('abort', this.#onAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.#controller.abort(
        new OtpError('TIMEOUT', `${provider}: the request took longer than ${timeoutMs} ms`, { provider }),
      );
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  release(): void {
    clearTimeout(this.#timer);
    this.#caller.removeEventListener('abort', this.#onAbort);
  }
}
