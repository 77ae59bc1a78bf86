import { OtpError } from '../errors.js';
import { readCapped } from './read-capped.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type RequestContext } from './request-context.js';
import { networkDetail, transportError } from './transport-error.js';

/** Reads the body as text, at most `maxResponseBytes` of it; cancels the rest. */
export async function readText(
  response: Response,
  context: RequestContext,
  signal: AbortSignal,
): Promise<string> {
  const max = context.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const { provider } = context;
  const tooLarge = () =>
    new OtpError(
      'INVALID_RESPONSE',
      `${provider}: the vendor's reply is longer than ${max} bytes (maxResponseBytes); it was not read`,
      { provider, status: response.status },
    );
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    discard(response);
    throw tooLarge();
  }
  let text: string | undefined;
  try {
    text = await readCapped(response.body, max, signal);
    if (signal.aborted) throw transportError(signal.reason, context, signal);
  } catch (error) {
    if (context.signal.aborted || signal.aborted) throw transportError(error, context, signal);
    // The status came, so the vendor may have taken the message: not a network failure to retry or
    // fail over as if nothing had been sent, but an answer that cannot be read.
    const detail = networkDetail(error);
    throw new OtpError(
      'INVALID_RESPONSE',
      `${provider}: the vendor's reply (HTTP ${response.status}) could not be read: cut off or badly encoded${detail ? ` (${detail})` : ''}`,
      { provider, status: response.status },
    );
  }
  if (text === undefined) throw tooLarge();
  return text;
}

/** Drops a reply's body unread, so its connection is released. */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}
