import * as v from 'valibot';
import type { OtpError } from '../errors.js';
import { httpError, type VendorErrorRule } from './http-error.js';
import type { HttpReply } from './post-form.js';

/** Options of `createErrorReplyHandler`: what is the vendor's own in its error replies. */
export interface ErrorReplyHandlerOptions<S extends v.GenericSchema> {
  /** Provider id, set on every error. */
  provider: string;
  /**
   * The vendor's error body; a body that does not match it carries no vendor code or text.
   * @default an object with an optional `code` and `message` (`CommonErrorSchema`)
   */
  errorSchema?: S;
  /**
   * The vendor's error code in a matching body.
   * @default its `code`, read by `vendorCodeText` (numbers and text)
   */
  errorToCode?(error: v.InferOutput<S>): string | undefined;
  /**
   * The vendor's error text in a matching body; it is redacted and shortened.
   * @default its `message`, when it is text
   */
  errorToMessage?(error: v.InferOutput<S>): string | undefined;
  /** The vendor's code table. @default none: statuses only */
  table?: Readonly<Record<string, VendorErrorRule>>;
}

/** The error body most vendors send: `{ code, message }`, both optional, extra fields kept. */
export const CommonErrorSchema = v.looseObject({
  code: v.optional(v.unknown()),
  message: v.optional(v.unknown()),
});
type CommonError = v.InferOutput<typeof CommonErrorSchema>;

const textOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Turns a failed reply into an `OtpError`, keeping `secrets` (keys, the body) out of it. */
export type ErrorReplyHandler = (reply: HttpReply, secrets: readonly (string | undefined)[]) => OtpError;

/**
 * A vendor's error-reply handler: reads its error body with `errorSchema`, takes the vendor's code and
 * text from it, and classifies the reply with `httpError` (the one classification order: status, then
 * JSON, then the vendor's table, then `REJECTED`).
 */
export function createErrorReplyHandler<S extends v.GenericSchema = typeof CommonErrorSchema>(
  options: ErrorReplyHandlerOptions<S>,
): ErrorReplyHandler {
  const { provider, table } = options;
  const errorSchema: v.GenericSchema = options.errorSchema ?? CommonErrorSchema;
  const errorToCode = options.errorToCode ?? ((error: CommonError) => vendorCodeText(error.code));
  const errorToMessage = options.errorToMessage ?? ((error: CommonError) => textOf(error.message));
  return (reply, secrets) => {
    const body = v.safeParse(errorSchema, reply.json);
    const vendorCode = body.success ? errorToCode(body.output as never) : undefined;
    const vendorMessage = body.success ? errorToMessage(body.output as never) : undefined;
    return httpError({
      provider,
      status: reply.status,
      headers: reply.headers,
      isJson: reply.isJson,
      secrets,
      ...(table === undefined ? {} : { table }),
      ...(vendorCode === undefined ? {} : { vendorCode }),
      ...(vendorMessage ? { vendorMessage } : {}),
    });
  };
}

/** A vendor's error code as text: a safe integer (Twilio's `21211`) or non-blank text, trimmed. */
export function vendorCodeText(code: unknown): string | undefined {
  if (typeof code === 'number') return Number.isSafeInteger(code) ? String(code) : undefined;
  return typeof code === 'string' && code.trim() !== '' ? code.trim() : undefined;
}
