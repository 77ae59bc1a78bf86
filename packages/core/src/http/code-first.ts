import * as v from 'valibot';
import { OtpError, type OtpErrorCode } from '../errors.js';
import {
  CommonErrorSchema,
  createErrorReplyHandler,
  type ErrorReplyHandler,
  type ErrorReplyHandlerOptions,
  vendorCodeText,
} from './error-reply.js';
import { redact, safeVendorCode } from './redact.js';
import { parseRetryAfter } from './retry-after.js';

const SUMMARIES: Partial<Record<OtpErrorCode, string>> = {
  RATE_LIMITED: 'the vendor asked to slow down',
  PROVIDER_UNAVAILABLE: 'the vendor failed',
};

/**
 * An error-reply handler for vendors whose error code, not the HTTP status, says what happened:
 * Telnyx answers "the recipient opted out" (`40300`) with 400, 403, 409 or 422 alike, Plivo a missing
 * geo permission with 403. A 401 or 403 whose body carries a code with a row in `table` is classified
 * by that row (an opted-out recipient is `REJECTED`, not `AUTHENTICATION`: failing over would text
 * someone who said STOP). Every other reply, and a 401/403 without such a code, goes through
 * `createErrorReplyHandler`: the shared classification order, unchanged (429 and 5xx still win over
 * any body).
 */
export function createCodeFirstErrorReplyHandler<S extends v.GenericSchema = typeof CommonErrorSchema>(
  options: ErrorReplyHandlerOptions<S>,
): ErrorReplyHandler {
  const shared = createErrorReplyHandler(options);
  const { provider, table } = options;
  const schema: v.GenericSchema = options.errorSchema ?? CommonErrorSchema;
  const toCode = (options.errorToCode ?? ((error: { code?: unknown }) => vendorCodeText(error.code))) as (
    error: unknown,
  ) => string | undefined;
  const toMessage = (options.errorToMessage ??
    ((error: { message?: unknown }) => (typeof error.message === 'string' ? error.message : undefined))) as (
    error: unknown,
  ) => string | undefined;
  return (reply, secrets) => {
    if ((reply.status !== 401 && reply.status !== 403) || !reply.isJson || table === undefined) {
      return shared(reply, secrets);
    }
    const body = v.safeParse(schema, reply.json);
    const vendorCode = body.success ? toCode(body.output) : undefined;
    const rule = vendorCode !== undefined && Object.hasOwn(table, vendorCode) ? table[vendorCode] : undefined;
    if (vendorCode === undefined || rule === undefined || rule.code === 'AUTHENTICATION') {
      return shared(reply, secrets);
    }
    const providerCode = safeVendorCode(vendorCode, secrets);
    const vendorText = body.success ? toMessage(body.output) : undefined;
    const text = vendorText ? redact(vendorText, secrets).slice(0, 300) : '';
    const detail = [providerCode, `HTTP ${reply.status}`].filter(Boolean).join(', ');
    const summary = SUMMARIES[rule.code] ?? 'the vendor refused the message';
    const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'));
    return new OtpError(rule.code, `${provider}: ${summary}${text ? `: ${text}` : ''} (${detail})`, {
      provider,
      status: reply.status,
      ...(providerCode === undefined ? {} : { providerCode }),
      ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }),
      ...(retryAfterMs === undefined || rule.code !== 'RATE_LIMITED' ? {} : { retryAfterMs }),
    });
  };
}
