import * as v from 'valibot';
import { OtpError } from '../errors.js';
import { isMessageId } from '../validation.js';
import type { HttpReply } from './post-form.js';

/**
 * Reads a vendor's 2xx reply to a send with its success schema; a body that is not JSON, or not of
 * that shape (described by `shape`, e.g. `"a Message resource with a sid"`), is `INVALID_RESPONSE`.
 */
export function parseSuccessReply<S extends v.GenericSchema>(
  provider: string,
  reply: HttpReply,
  schema: S,
  shape: string,
): v.InferOutput<S> {
  const parsed = reply.isJson ? v.safeParse(schema, reply.json) : undefined;
  if (parsed?.success) return parsed.output;
  const problem = parsed ? `did not have the expected shape (${shape})` : 'was not JSON';
  throw new OtpError(
    'INVALID_RESPONSE',
    `${provider}: the reply to a send ${problem} (HTTP ${reply.status})`,
    {
      provider,
      status: reply.status,
    },
  );
}

/**
 * The message id of an accepted send, checked by `isMessageId`; a reply that accepted the message
 * without one (or with one that is blank, too long or holds control characters) is `INVALID_RESPONSE`.
 */
export function acceptedMessageId(
  provider: string,
  reply: HttpReply,
  messageId: unknown,
  field: string,
): string {
  if (isMessageId(messageId)) return messageId;
  throw new OtpError(
    'INVALID_RESPONSE',
    `${provider}: the reply to a send accepted the message without a ${field} (HTTP ${reply.status})`,
    { provider, status: reply.status },
  );
}

/**
 * A field vendors write as text or as a number (`"0"` or `0`, a status, a count), read as text: for
 * reply schemas.
 */
export const VendorTextSchema = v.pipe(
  v.union([v.string(), v.pipe(v.number(), v.finite())]),
  v.transform((value): string => String(value)),
);
