import * as v from 'valibot';
import { OtpError } from '../errors.js';
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
