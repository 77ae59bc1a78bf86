import {
  MessageIdSchema,
  OtpError,
  type OtpMessage,
  type OtpProvider,
  type SendContext,
  type SendReceipt,
  validateMessage,
} from '@otpkit/core';
import {
  createErrorReplyHandler,
  createVendorClient,
  isSuccess,
  parseSuccessReply,
  postJson,
  requestContext,
  vendorCodeText,
} from '@otpkit/core/http';
import ky from 'ky';
import * as v from 'valibot';
import { type InfobipDeliveryReport, parseInfobipDeliveryReport } from './infobip-delivery-report.js';
import { INFOBIP_ERROR_CODES } from './infobip-errors.js';
import { type InfobipProviderOptions, resolveInfobipOptions } from './infobip-options.js';

const Status = v.looseObject({
  groupId: v.optional(v.number()),
  groupName: v.optional(v.string()),
  id: v.optional(v.number()),
  name: v.optional(v.string()),
  description: v.optional(v.string()),
});

/**
 * Infobip's reply to `POST /sms/3/messages` (HTTP 200): one `messages[]` entry per destination, each
 * with its `messageId` and a `status` object. An accepted reply is an acceptance, not an outcome: a
 * `REJECTED` status group in it means the message was refused. Extra fields are kept.
 */
export const InfobipSendReplySchema = v.looseObject({
  bulkId: v.optional(v.string()),
  messages: v.pipe(
    v.array(v.looseObject({ messageId: v.optional(v.unknown()), status: v.optional(Status) })),
    v.minLength(1),
  ),
});
export type InfobipSendReply = v.InferOutput<typeof InfobipSendReplySchema>;

/** An error body of any of Infobip's shapes (v3 `errorCode`, legacy `requestError`, a rejected message). */
const InfobipErrorSchema = v.looseObject({
  errorCode: v.optional(v.unknown()),
  description: v.optional(v.unknown()),
  requestError: v.optional(
    v.looseObject({
      serviceException: v.optional(v.looseObject({ messageId: v.unknown(), text: v.unknown() })),
    }),
  ),
  messages: v.optional(v.array(v.looseObject({ status: v.optional(Status) }))),
});
type InfobipError = v.InferOutput<typeof InfobipErrorSchema>;

const rejectedOf = (error: InfobipError) => error.messages?.find((entry) => isRejected(entry.status))?.status;
const isRejected = (status: v.InferOutput<typeof Status> | undefined) =>
  status?.groupName === 'REJECTED' || status?.groupId === 5;
const textOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

const infobipError = createErrorReplyHandler({
  provider: 'infobip',
  errorSchema: InfobipErrorSchema,
  errorToCode: (error) =>
    vendorCodeText(error.errorCode) ??
    vendorCodeText(error.requestError?.serviceException?.messageId) ??
    vendorCodeText(rejectedOf(error)?.name ?? rejectedOf(error)?.id),
  errorToMessage: (error) =>
    textOf(error.description) ??
    textOf(error.requestError?.serviceException?.text) ??
    rejectedOf(error)?.description,
  table: INFOBIP_ERROR_CODES,
});

/** The Infobip provider: an `OtpProvider` with id `"infobip"` and delivery-report parsing. */
export interface InfobipProvider extends OtpProvider {
  readonly id: 'infobip';
  parseDeliveryReport(payload: unknown): InfobipDeliveryReport;
}

const PROVIDER = 'infobip';

/**
 * Creates a provider that sends OTP SMS through Infobip's SMS API v3, `POST {baseUrl}/sms/3/messages`
 * with `Authorization: App {apiKey}` and one message to one destination. Options are checked here,
 * once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 */
export function createInfobipProvider(options: InfobipProviderOptions): InfobipProvider {
  const config = resolveInfobipOptions(options);
  const client = createVendorClient({ ky, ...config });
  const headers = { authorization: `App ${config.apiKey}` };

  return {
    id: PROVIDER,

    async send(input: OtpMessage, sendContext: SendContext): Promise<SendReceipt> {
      const message = validateMessage(input);
      const url = message.callbackUrl ?? config.callbackUrl;
      const { principalEntityId, intermediateReport } = config;
      const contentTemplateId = message.templateId;
      const body = {
        messages: [
          {
            sender: message.sender ?? config.sender,
            destinations: [{ to: message.to.slice(1) }], // Infobip's numbers have no "+"
            content: { text: message.body },
            options: principalEntityId && {
              regional: { indiaDlt: { principalEntityId, contentTemplateId } },
            },
            webhooks: (url || message.reference) && {
              delivery: url && { url, intermediateReport },
              contentType: url && 'application/json',
              callbackData: message.reference,
            },
          },
        ],
      };
      const context = requestContext(PROVIDER, config, sendContext);
      const reply = await postJson(client, 'sms/3/messages', body, context, headers);
      const secrets = [config.apiKey, message.body];
      if (!isSuccess(reply)) throw infobipError(reply, secrets);
      const output = parseSuccessReply(PROVIDER, reply, InfobipSendReplySchema, 'a messages array');
      if (output.messages.some((entry) => isRejected(entry.status))) throw infobipError(reply, secrets);
      const messageId = v.safeParse(MessageIdSchema, output.messages[0]!.messageId);
      if (!messageId.success) {
        const problem = 'infobip: the reply to a send accepted the message without a messageId';
        throw new OtpError('INVALID_RESPONSE', `${problem} (HTTP ${reply.status})`, {
          provider: PROVIDER,
          status: reply.status,
        });
      }
      return {
        provider: PROVIDER,
        messageId: messageId.output,
        to: message.to,
        acceptedAt: new Date(),
        raw: output,
      };
    },

    parseDeliveryReport: parseInfobipDeliveryReport,
  };
}
