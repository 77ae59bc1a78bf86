import { inspect } from 'node:util';
import { isOtpError, type OtpError } from '@otpkit/core';

/**
 * Small helpers for a provider package's own tests, beside the shared suites: what every vendor's test
 * setup needs and would otherwise copy.
 */

/** Awaits a send that must fail and returns its `OtpError`; throws saying what came instead. */
export async function rejectionOf(pending: Promise<unknown>): Promise<OtpError> {
  const outcome = await pending.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${inspect(outcome.value)}`);
  if (!isOtpError(outcome.error)) throw new Error(`expected an OtpError, got ${inspect(outcome.error)}`);
  return outcome.error;
}

/** One request as it went out: the secrets in it unredacted, for tests of the wire format. */
export interface CapturedRequest {
  method: string;
  url: string;
  headers: Headers;
  text: string;
}

/** The parts of msw `captureRequests` uses (pass msw's own: `{ server, http }`). */
export interface MswParts<Handler> {
  server: { use(...handlers: Handler[]): void };
  http: { all(url: string, resolver: (info: { request: Request }) => Promise<Response>): Handler };
}

/**
 * Records every request to `url` from now on (until the server's handlers are reset) and answers each
 * with `reply` as JSON and `status`; returns the list it fills.
 */
export function captureRequests<Handler>(
  { server, http }: MswParts<Handler>,
  url: string,
  reply: string,
  status = 200,
): CapturedRequest[] {
  const seen: CapturedRequest[] = [];
  server.use(
    http.all(url, async ({ request }) => {
      seen.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        text: await request.text(),
      });
      return new Response(reply, { status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return seen;
}

/** The fields of a form body, in order, repeated ones kept. */
export const formFields = (text: string): [string, string][] => [...new URLSearchParams(text)];
