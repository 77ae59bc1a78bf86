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
import { parseMsg91DeliveryReport } from './msg91-delivery-report.js';
import { MSG91_ERROR_CODES } from './msg91-errors.js';
import { type Msg91ProviderOptions, resolveMsg91Options } from './msg91-options.js';

/**
 * Msg91's success reply. TODO: the vendor's real shape; keep only what the receipt needs, and loose
 * objects so extra fields are kept.
 */
export const Msg91SuccessSchema = v.looseObject({
  message_id: v.pipe(v.string(), v.minLength(1)),
  created_at: v.optional(v.nullable(v.string())),
});
export type Msg91SuccessReply = v.InferOutput<typeof Msg91SuccessSchema>;

/**
 * Msg91's error reply, `{ code: "INVALID_NUMBER", message: "..." }` (the handler's default shape;
 * give `errorSchema`, `errorToCode` and `errorToMessage` for another), classified by `httpError`. Codes
 * may be text ("INVALID_NUMBER") or numbers (21211): the table's keys and providerCode are text.
 */
const msg91Error = createErrorReplyHandler({ provider: 'msg91', table: MSG91_ERROR_CODES });

/** The Msg91 provider: an `OtpProvider` with id `"msg91"` and delivery-report parsing. */
export interface Msg91Provider extends OtpProvider {
  readonly id: 'msg91';
  parseDeliveryReport(payload: unknown): DeliveryReport;
}

const PROVIDER = 'msg91';

/**
 * Creates a provider that sends OTP SMS through Msg91's `POST /v1/messages`. Options are checked
 * here, once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 */
export function createMsg91Provider(options: Msg91ProviderOptions): Msg91Provider {
  const config = resolveMsg91Options(options);
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
      const reply = await postForm(
        client,
        'v1/messages',
        form,
        requestContext(PROVIDER, config, sendContext),
      );
      // TODO: if Msg91 reports failures inside a 2xx (as Vonage's SMS API does, with a status per
      // message), test for them here too. Credentials sent in the form, not a header, go in the secrets.
      if (!isSuccess(reply)) throw msg91Error(reply, [config.apiKey, message.body]);
      const output = parseSuccessReply(PROVIDER, reply, Msg91SuccessSchema, 'message_id');
      const createdAt = output.created_at ? new Date(output.created_at) : undefined;
      return {
        provider: PROVIDER,
        messageId: output.message_id,
        to: message.to,
        acceptedAt: createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : new Date(),
        raw: output,
      };
    },

    parseDeliveryReport: parseMsg91DeliveryReport,
  };
}
