import { MessageIdSchema } from '@otpkit/core';
import {
  createCodeFirstErrorReplyHandler,
  createVendorClient,
  createVendorSend,
  parseVendorTime,
  type ReportingProvider,
} from '@otpkit/core/http';
import ky from 'ky';
import * as v from 'valibot';
import { parseSinchDeliveryReport, type SinchDeliveryReport } from './sinch-delivery-report.js';
import { SINCH_ERROR_CODES } from './sinch-errors.js';
import { resolveSinchOptions, type SinchProviderOptions } from './sinch-options.js';

/**
 * Sinch's reply to `POST /xms/v1/{service_plan_id}/batches` (HTTP 201): the batch, whose `id` is the
 * message id delivery reports carry as `batch_id`. Extra fields (the echoed `body` among them) are kept.
 */
export const SinchSuccessSchema = v.looseObject({
  id: MessageIdSchema,
  created_at: v.optional(v.nullable(v.string())),
});
export type SinchSuccessReply = v.InferOutput<typeof SinchSuccessSchema>;

/**
 * Sinch's error reply, `{ code: "syntax_constraint_violation", text: "..." }` (the default schema keeps
 * `text`). Its 403 carries codes that are not about credentials (`unknown_campaign`): the code decides.
 */
const sinchError = createCodeFirstErrorReplyHandler({
  provider: 'sinch',
  errorToMessage: (error) => (typeof error.text === 'string' ? error.text : undefined),
  table: SINCH_ERROR_CODES,
});

/** The Sinch provider: an `OtpProvider` with id `"sinch"` and delivery-report parsing. */
export type SinchProvider = ReportingProvider<'sinch', SinchDeliveryReport>;

const PROVIDER = 'sinch';

/**
 * Creates a provider that sends OTP SMS through Sinch's SMS REST API (XMS),
 * `POST {baseUrl}/xms/v1/{servicePlanId}/batches` with a JSON `mt_text` batch of one recipient and
 * `Authorization: Bearer {apiToken}`. Options are checked here, once: wrong ones throw `OtpError`
 * `INVALID_CONFIG` naming the option.
 */
export function createSinchProvider(options: SinchProviderOptions): SinchProvider {
  const config = resolveSinchOptions(options);
  const client = createVendorClient({ ky, ...config });
  const path = `xms/v1/${encodeURIComponent(config.servicePlanId)}/batches`;
  const headers = { authorization: `Bearer ${config.apiToken}` };

  return {
    id: PROVIDER,

    send: createVendorSend({
      provider: PROVIDER,
      client,
      options: config,
      request(message) {
        const callbackUrl = message.callbackUrl ?? config.callbackUrl;
        const deliveryReport =
          config.deliveryReport ?? (callbackUrl === undefined ? undefined : 'per_recipient_final');
        const json = {
          to: [message.to],
          body: message.body,
          type: 'mt_text',
          from: message.sender ?? config.from,
          delivery_report: deliveryReport,
          callback_url: callbackUrl,
          client_reference: message.reference,
        };
        return { path, headers, json };
      },
      secrets: (message) => [config.apiToken, message.body],
      error: sinchError,
      success: SinchSuccessSchema,
      shape: 'a batch with an id',
      // The batch's created_at, else now.
      receipt: (output) => ({ messageId: output.id, acceptedAt: parseVendorTime(output.created_at) }),
    }),

    parseDeliveryReport: parseSinchDeliveryReport,
  };
}
