import {
  createErrorReplyHandler,
  createVendorClient,
  createVendorSend,
  type ReportingProvider,
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
export type InfobipProvider = ReportingProvider<'infobip', InfobipDeliveryReport>;

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

    send: createVendorSend({
      provider: PROVIDER,
      client,
      options: config,
      request(message) {
        const url = message.callbackUrl ?? config.callbackUrl;
        const { principalEntityId, intermediateReport } = config;
        const contentTemplateId = message.templateId;
        const json = {
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
        return { path: 'sms/3/messages', headers, json };
      },
      secrets: (message) => [config.apiKey, message.body],
      error: infobipError,
      success: InfobipSendReplySchema,
      shape: 'a messages array',
      // An accepted reply may still put the message in the REJECTED group.
      refused: (output) => output.messages.some((entry) => isRejected(entry.status)),
      receipt: (output) => ({ messageId: output.messages[0]!.messageId }),
      messageIdField: 'messageId',
    }),

    parseDeliveryReport: parseInfobipDeliveryReport,
  };
}
