import { isOtpError, OtpError } from '../errors.js';
import type { RequestContext } from './request-context.js';

/** Classifies a failure that produced no HTTP reply: abort, timeout, then network. */
export function transportError(
  error: unknown,
  { provider, signal }: RequestContext,
  /** The request's own signal, when it has one beside the caller's (its time limit). */
  requestSignal?: AbortSignal,
): OtpError {
  if (!signal.aborted && requestSignal?.aborted && isOtpError(requestSignal.reason)) {
    return requestSignal.reason;
  }
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (isOtpError(reason)) return reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new OtpError('TIMEOUT', `${provider}: the request timed out`, { provider, cause: reason });
    }
    return new OtpError('ABORTED', `${provider}: the send was aborted by the caller`, {
      provider,
      cause: reason,
    });
  }
  if (isOtpError(error)) return error;
  if (error instanceof Error && error.name === 'TimeoutError') {
    // Not kept as the cause: a client's TimeoutError holds the request (ky's does), api key header included.
    return new OtpError('TIMEOUT', `${provider}: the request timed out`, { provider });
  }
  const detail = networkDetail(error);
  return new OtpError('NETWORK', `${provider}: no response from the vendor${detail ? ` (${detail})` : ''}`, {
    provider,
    cause: error,
  });
}

export function networkDetail(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
