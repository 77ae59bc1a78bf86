import { MessageIdSchema, OtpError } from '@otpkit/core';
import {
  createCodeFirstErrorReplyHandler,
  createVendorClient,
  createVendorSend,
  type ErrorReplyHandler,
  isSuccess,
  type ReportingProvider,
  vendorCodeText,
} from '@otpkit/core/http';
import ky from 'ky';
import * as v from 'valibot';
import { parsePlivoDeliveryReport } from './plivo-delivery-report.js';
import { PLIVO_ERROR_CODES, PLIVO_STATUS_LABELS } from './plivo-errors.js';
import { type PlivoProviderOptions, resolvePlivoOptions } from './plivo-options.js';

/**
 * Plivo's reply to a send it queued (HTTP 202): `{ api_id, message: "message(s) queued",
 * message_uuid: ["<uuid>"] }`, one uuid per destination; `invalid_number` lists refused destinations.
 */
export const PlivoSendReplySchema = v.looseObject({
  message_uuid: v.pipe(v.array(MessageIdSchema), v.minLength(1)),
});
export type PlivoSendReply = v.InferOutput<typeof PlivoSendReplySchema>;

/** A 2xx that queued nothing: `invalid_number` lists the destination, `message_uuid` is empty. */
const QueuedNothingSchema = v.looseObject({
  invalid_number: v.nonNullish(v.unknown()),
  message_uuid: v.optional(v.pipe(v.array(v.unknown()), v.length(0))),
});

/** Plivo's error body, `{ api_id, error }`, `error` text or an object; `code` is otpkit's label. */
const PlivoErrorSchema = v.looseObject({ error: v.optional(v.unknown()), code: v.optional(v.unknown()) });

/**
 * A failed reply: a labelled one (`PLIVO_ERROR_CODES`) by its row even on a 403 (the geo permission is
 * `REJECTED`), every other in the shared order; Plivo's `error` text kept in the message.
 */
const plivoError = createCodeFirstErrorReplyHandler({
  provider: 'plivo',
  errorSchema: PlivoErrorSchema,
  errorToCode: (error) => vendorCodeText(error.code),
  errorToMessage: ({ error }) =>
    typeof error === 'string' ? error : error === undefined ? undefined : JSON.stringify(error),
  table: PLIVO_ERROR_CODES,
});

/**
 * A failed reply as `OtpError`, with otpkit's label (`PLIVO_STATUS_LABELS`; `invalid-number` for a 2xx,
 * which is one that queued nothing) as its body's `code`: Plivo's bodies have none.
 */
const plivoFailure: ErrorReplyHandler = (reply, secrets) => {
  const label = isSuccess(reply) ? 'invalid-number' : PLIVO_STATUS_LABELS[reply.status];
  if (label === undefined || !reply.isJson) return plivoError(reply, secrets);
  const body = typeof reply.json === 'object' && reply.json !== null ? reply.json : {};
  return plivoError({ ...reply, json: { ...body, code: label } }, secrets);
};

/** The Plivo provider: an `OtpProvider` with id `"plivo"` and delivery-report parsing. */
export type PlivoProvider = ReportingProvider<'plivo'>;

const PROVIDER = 'plivo';

/**
 * Creates a provider that sends OTP SMS through Plivo's Message API, `POST
 * {baseUrl}/v1/Account/{authId}/Message/` (HTTP Basic auth, a JSON body): `src` (or
 * `powerpack_uuid`), `dst`, `text`, the callback `url` and India's DLT fields. Options are checked here,
 * once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 */
export function createPlivoProvider(options: PlivoProviderOptions): PlivoProvider {
  const config = resolvePlivoOptions(options);
  const basic = Buffer.from(`${config.authId}:${config.authToken}`).toString('base64');
  const client = createVendorClient({ ky, ...config, headers: { authorization: `Basic ${basic}` } });
  const path = `v1/Account/${config.authId}/Message/`;

  return {
    id: PROVIDER,

    send: createVendorSend({
      provider: PROVIDER,
      client,
      options: config,
      request(message) {
        const src = message.sender ?? config.src;
        if (src === undefined && config.powerpackUuid === undefined) {
          const text = 'plivo: expected a sender (the message sender, src or powerpackUuid)';
          throw new OtpError('INVALID_INPUT', text, { provider: PROVIDER });
        }
        const url = message.callbackUrl ?? config.callbackUrl;
        const json = {
          ...(src === undefined ? { powerpack_uuid: config.powerpackUuid } : { src }),
          dst: message.to,
          text: message.body,
          type: 'sms',
          ...(url === undefined ? {} : { url, method: 'POST' }),
          dlt_entity_id: config.dltEntityId,
          dlt_template_id: message.templateId ?? config.dltTemplateId,
          dlt_template_category: config.dltTemplateCategory,
        };
        return { path, json };
      },
      secrets: (message) => [config.authToken, basic, message.body],
      error: plivoFailure,
      failedIn2xx: (reply) => v.is(QueuedNothingSchema, reply.json),
      success: PlivoSendReplySchema,
      shape: 'a message_uuid array',
      receipt: (output) => ({ messageId: output.message_uuid[0] }),
    }),

    parseDeliveryReport: parsePlivoDeliveryReport,
  };
}
