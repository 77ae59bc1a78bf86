import { delayUnlessAborted } from './serve-fetch-handler.js';

/** The faults every vendor emulator offers whatever the vendor; each adds its own (rate limits, errors). */
export type CommonEmulatorFault =
  /** Waits `ms` before answering normally (`Infinity`: never answers until the client gives up). */
  | { kind: 'delay'; ms: number }
  /** The connection fails without a reply. */
  | { kind: 'network' }
  /** A reply whose body is not JSON (an HTML error page). Default status 200. */
  | { kind: 'malformed'; status?: number }
  /** Any reply at all. */
  | { kind: 'reply'; status: number; body: unknown; headers?: Record<string, string> }
  /**
   * Exactly the `Response` this function makes: a redirect, an endless or dribbling body, a reply too
   * large to read. The hostile-vendor cases of the conformance kit are written with it.
   */
  | { kind: 'response'; response: (request: Request) => Response };

/**
 * Carries out a vendor-neutral fault: the `Response` to answer with, or `undefined` to answer normally
 * (after a `delay`, which the request's abort cuts short).
 */
export async function commonFaultResponse(
  fault: CommonEmulatorFault,
  signal: AbortSignal,
  /** The request being answered, which a `response` fault is given (e.g. to redirect it to itself). */
  request?: Request,
): Promise<Response | undefined> {
  switch (fault.kind) {
    case 'delay':
      await delayUnlessAborted(fault.ms, signal);
      return undefined;
    case 'network':
      return Response.error();
    case 'malformed':
      return new Response('<html><body>Bad Gateway</body></html>', {
        status: fault.status ?? 200,
        headers: { 'content-type': 'text/html' },
      });
    case 'response':
      if (request === undefined) throw new TypeError('a response fault needs the request it answers');
      return fault.response(request);
    case 'reply':
      return new Response(typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body), {
        status: fault.status,
        headers: { 'content-type': 'application/json', ...fault.headers },
      });
  }
}

/** A JSON reply; `retryAfter` (seconds, or an HTTP date) becomes a `Retry-After` header. */
export function jsonResponse(
  status: number,
  body: unknown,
  {
    retryAfter,
    headers,
  }: { retryAfter?: string | number | undefined; headers?: Record<string, string> } = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
      ...headers,
    },
  });
}
