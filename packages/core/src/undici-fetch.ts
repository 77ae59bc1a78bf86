import { Agent, request } from 'undici';

/** Options of `createUndiciFetch`. */
export interface UndiciFetchOptions {
  /**
   * Connections kept per origin.
   * @default no limit (one per concurrent request)
   */
  connections?: number;
  /**
   * How long an idle connection stays open, in ms.
   * @default 60000
   */
  keepAliveTimeoutMs?: number;
  /** Use this undici `Agent` instead of creating one (the two options above are then ignored). */
  agent?: Agent;
}

/** A `fetch` for providers' `fetch` option, with `close()` to release its connections. */
export type UndiciFetch = ((input: Request | URL | string, init?: RequestInit) => Promise<Response>) & {
  /** Closes the keep-alive connections of the agent it created. */
  close(): Promise<void>;
};

/**
 * A faster transport for high-volume senders: a `fetch`-compatible function built on `undici.request`
 * with a keep-alive agent, to pass as a provider's `fetch` option. It honours the request's signal
 * (timeouts and aborts keep working). msw does not intercept it: keep the default global `fetch` in
 * tests that use the emulators. Needs the `undici` package (an optional peer dependency); import it
 * from `@otpkit/core/undici`, and nothing loads undici unless you do.
 */
export function createUndiciFetch(options: UndiciFetchOptions = {}): UndiciFetch {
  const agent =
    options.agent ??
    new Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 60_000,
      ...(options.connections === undefined ? {} : { connections: options.connections }),
    });
  const undiciFetch = async (input: Request | URL | string, init?: RequestInit): Promise<Response> => {
    // A Request with only a signal beside it (how providers pass the attempt's signal under a deadline)
    // is used as it is: building a second Request would cost as much as the rest of this function.
    const signalOnly = init !== undefined && Object.keys(init).every((key) => key === 'signal');
    const req =
      input instanceof Request && (init === undefined || signalOnly) ? input : new Request(input, init);
    const signal = (signalOnly ? init.signal : undefined) ?? req.signal;
    const headers: Record<string, string> = {};
    req.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body = req.body === null ? undefined : Buffer.from(await req.arrayBuffer());
    const response = await request(req.url, {
      method: req.method as 'POST',
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
      dispatcher: agent,
    });
    const responseHeaders = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) for (const item of value) responseHeaders.append(key, item);
      else if (value !== undefined) responseHeaders.set(key, value);
    }
    const bytes = await response.body.arrayBuffer();
    const status = response.statusCode;
    const nullBody = status === 204 || status === 205 || status === 304 || req.method === 'HEAD';
    return new Response(nullBody ? null : bytes, { status, headers: responseHeaders });
  };
  return Object.assign(undiciFetch, {
    close: () => (options.agent ? Promise.resolve() : agent.close()),
  });
}
