import {
  type DeliveryReport,
  type OtpMessage,
  type OtpProvider,
  type SendContext,
  type SendReceipt,
  validateMessage,
} from '@otpkit/core';
import {
  createErrorReplyHandler,
  createVendorClient,
  formOf,
  isSuccess,
  parseSuccessReply,
  postForm,
  requestContext,
} from '@otpkit/core/http';
import ky from 'ky';
import * as v from 'valibot';
import { parse__Name__DeliveryReport } from './__id__-delivery-report.js';
import { __ID___ERROR_CODES } from './__id__-errors.js';
import { type __Name__ProviderOptions, resolve__Name__Options } from './__id__-options.js';

/**
 * __Name__'s success reply. TODO: the vendor's real shape; keep only what the receipt needs, and loose
 * objects so extra fields are kept.
 */
export const __Name__SuccessSchema = v.looseObject({
  message_id: v.pipe(v.string(), v.minLength(1)),
  created_at: v.optional(v.nullable(v.string())),
});
export type __Name__SuccessReply = v.InferOutput<typeof __Name__SuccessSchema>;

/**
 * __Name__'s error reply, `{ code: "INVALID_NUMBER", message: "..." }` (the handler's default shape;
 * give `errorSchema`, `errorToCode` and `errorToMessage` for another), classified by `httpError`. Codes
 * may be text ("INVALID_NUMBER") or numbers (21211): the table's keys and providerCode are text.
 */
const __name__Error = createErrorReplyHandler({ provider: '__id__', table: __ID___ERROR_CODES });

/** The __Name__ provider: an `OtpProvider` with id `"__id__"` and delivery-report parsing. */
export interface __Name__Provider extends OtpProvider {
  readonly id: '__id__';
  parseDeliveryReport(payload: unknown): DeliveryReport;
}

const PROVIDER = '__id__';

/**
 * Creates a provider that sends OTP SMS through __Name__'s `POST /v1/messages`. Options are checked
 * here, once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 */
export function create__Name__Provider(options: __Name__ProviderOptions): __Name__Provider {
  const config = resolve__Name__Options(options);
  const client = createVendorClient({ ky, ...config, headers: { authorization: `Bearer ${config.apiKey}` } });

  return {
    id: PROVIDER,

    async send(input: OtpMessage, sendContext: SendContext): Promise<SendReceipt> {
      const message = validateMessage(input);
      const form = formOf({
        to: message.to,
        body: message.body,
        sender: message.sender ?? config.sender,
        callback_url: message.callbackUrl,
      });
      // Under the dispatcher's deadline its signal limits the request; used directly, timeoutMs does
      // (one timer over headers and body). No redirect is followed, no reply read past maxResponseBytes.
      const reply = await postForm(client, 'v1/messages', form, requestContext(PROVIDER, config, sendContext));
      // TODO: if __Name__ reports failures inside a 2xx (as Vonage's SMS API does, with a status per
      // message), test for them here too. Credentials sent in the form, not a header, go in the secrets.
      if (!isSuccess(reply)) throw __name__Error(reply, [config.apiKey, message.body]);
      const output = parseSuccessReply(PROVIDER, reply, __Name__SuccessSchema, 'message_id');
      const createdAt = output.created_at ? new Date(output.created_at) : undefined;
      return {
        provider: PROVIDER,
        messageId: output.message_id,
        to: message.to,
        acceptedAt: createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : new Date(),
        raw: output,
      };
    },

    parseDeliveryReport: parse__Name__DeliveryReport,
  };
}
