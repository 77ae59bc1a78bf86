import type * as v from 'valibot';
import type { OtpError } from '../errors.js';
import type { OtpMessage, SendContext, SendReceipt } from '../types.js';
import { validateMessage } from '../validation.js';
import { type HttpClient, type HttpReply, isSuccess, postForm, postJson } from './post-form.js';
import { type RequestContext, requestContext } from './request-context.js';
import { acceptedMessageId, parseSuccessReply } from './success-reply.js';

// The send every HTTP vendor makes: check the message, post the vendor's request with the attempt's
// signal, turn a failure into `OtpError` with the secrets kept out, read the success reply, and build
// the receipt. A vendor package declares only its request, its failures and its receipt.

/**
 * One request to the vendor: its path under the client's base URL, and a form or a JSON body; with
 * `secrets`, what this request holds that must stay out of errors beside the spec's own (values the
 * request worked out, such as a template's variables).
 */
export type VendorRequest = {
  path: string;
  headers?: Record<string, string>;
  secrets?: readonly (string | undefined)[];
} & ({ form: URLSearchParams; json?: undefined } | { json: unknown; form?: undefined });

/** What a vendor's send is made of. */
export interface VendorSendSpec<S extends v.GenericSchema> {
  /** Provider id: on the receipt and on every error. */
  provider: string;
  /** The vendor's client, from `createVendorClient`. */
  client: HttpClient;
  /** The provider's resolved `timeoutMs`, `maxResponseBytes` and `fetch` options. */
  options: Pick<RequestContext, 'timeoutMs' | 'maxResponseBytes' | 'fetch'>;
  /**
   * The vendor's request for a checked message. Throw `OtpError` `INVALID_INPUT` here for a message the
   * vendor cannot take (nothing is sent).
   */
  request(message: OtpMessage): VendorRequest;
  /** What must never appear in an error: the keys and tokens sent, the message body. */
  secrets(message: OtpMessage): readonly (string | undefined)[];
  /** Turns a failed reply into `OtpError`: the vendor's `createErrorReplyHandler`. */
  error(reply: HttpReply, secrets: readonly (string | undefined)[]): OtpError;
  /** A 2xx that is a failure all the same (an error inside HTTP 200), read before the success schema. @default none */
  failedIn2xx?(reply: HttpReply): boolean;
  /** The success reply's schema, and its shape in words for the `INVALID_RESPONSE` message. */
  success: S;
  shape: string;
  /** A success reply that still refuses the message (Vonage's failed part). @default none */
  refused?(output: v.InferOutput<S>): boolean;
  /**
   * The receipt's message id, time (default: now) and `raw` (default: the parsed reply) from the
   * success reply. The id is checked (`acceptedMessageId`): a reply without a usable one is
   * `INVALID_RESPONSE`, never a receipt.
   */
  receipt(
    output: v.InferOutput<S>,
    reply: HttpReply,
    message: OtpMessage,
  ): { messageId: unknown; acceptedAt?: Date | undefined; raw?: unknown };
  /** The id's name in the vendor's reply, for that `INVALID_RESPONSE`. @default "message id" */
  messageIdField?: string;
}

/** The `send` of a vendor's `OtpProvider`, from its spec. */
export function createVendorSend<S extends v.GenericSchema>(
  spec: VendorSendSpec<S>,
): (message: OtpMessage, context: SendContext) => Promise<SendReceipt> {
  const { provider, client, options } = spec;
  return async (input, sendContext) => {
    const message = validateMessage(input);
    const { path, headers, form, json, secrets: own } = spec.request(message);
    const secrets = () => (own === undefined ? spec.secrets(message) : [...spec.secrets(message), ...own]);
    const context = requestContext(provider, options, sendContext);
    const reply =
      form === undefined
        ? await postJson(client, path, json, context, headers)
        : await postForm(client, path, form, context, headers);
    if (!isSuccess(reply) || spec.failedIn2xx?.(reply) === true) {
      throw spec.error(reply, secrets());
    }
    const output = parseSuccessReply(provider, reply, spec.success, spec.shape);
    if (spec.refused?.(output) === true) throw spec.error(reply, secrets());
    const { messageId, acceptedAt, raw } = spec.receipt(output, reply, message);
    return {
      provider,
      messageId: acceptedMessageId(provider, reply, messageId, spec.messageIdField ?? 'message id'),
      to: message.to,
      acceptedAt: acceptedAt ?? new Date(),
      raw: raw ?? output,
    };
  };
}
