import { MessageIdSchema } from '@otpkit/core';
import {
  createCodeFirstErrorReplyHandler,
  createVendorClient,
  createVendorSend,
  type ReportingProvider,
  vendorCodeText,
} from '@otpkit/core/http';
import ky from 'ky';
import * as v from 'valibot';
import { parseTelnyxDeliveryReport, type TelnyxDeliveryReport } from './telnyx-delivery-report.js';
import { TELNYX_ERROR_CODES } from './telnyx-errors.js';
import { resolveTelnyxOptions, type TelnyxProviderOptions } from './telnyx-options.js';
import { type TelnyxWebhookHeaders, verifyTelnyxSignature } from './telnyx-signature.js';

/**
 * Telnyx's reply to `POST /v2/messages` (HTTP 200): the message in `data`, its id in `data.id`, each
 * recipient's status (`queued` at first) in `data.to[]`. Extra fields are kept.
 */
export const TelnyxSuccessSchema = v.looseObject({
  data: v.looseObject({ id: MessageIdSchema, to: v.optional(v.array(v.looseObject({}))) }),
});
export type TelnyxSuccessReply = v.InferOutput<typeof TelnyxSuccessSchema>;

/** Telnyx's error reply: `{ errors: [{ code: "40300", title, detail, source, meta }] }`; the first counts. */
const TelnyxErrorSchema = v.looseObject({
  errors: v.pipe(
    v.array(
      v.looseObject({
        code: v.optional(v.unknown()),
        title: v.optional(v.unknown()),
        detail: v.optional(v.unknown()),
      }),
    ),
    v.minLength(1),
  ),
});
const textOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * A failed reply, classified by `errors[0].code` where Telnyx's code says more than its status (a 401
 * or 403 carrying a code of the table), else in the shared order.
 */
const telnyxError = createCodeFirstErrorReplyHandler({
  provider: 'telnyx',
  errorSchema: TelnyxErrorSchema,
  errorToCode: ({ errors }) => vendorCodeText(errors[0]!.code),
  errorToMessage: ({ errors }) =>
    [textOf(errors[0]!.title), textOf(errors[0]!.detail)].filter(Boolean).join(': '),
  table: TELNYX_ERROR_CODES,
});

/** The Telnyx provider: an `OtpProvider` with id `"telnyx"`, delivery reports and webhook signatures. */
export interface TelnyxProvider extends ReportingProvider<'telnyx', TelnyxDeliveryReport> {
  /**
   * Checks a webhook's Ed25519 signature with the `publicKey` option (see `verifyTelnyxSignature`):
   * `body` is the raw request body, as received. Throws `INVALID_CONFIG` without `publicKey`.
   */
  verifyWebhook(body: string | Uint8Array, headers: TelnyxWebhookHeaders): boolean;
}

const PROVIDER = 'telnyx';

/**
 * Creates a provider that sends OTP SMS through Telnyx's Messaging API v2, `POST {baseUrl}/v2/messages`
 * (JSON, `Authorization: Bearer`). Options are checked here, once: wrong ones throw `OtpError`
 * `INVALID_CONFIG` naming the option.
 */
export function createTelnyxProvider(options: TelnyxProviderOptions): TelnyxProvider {
  const config = resolveTelnyxOptions(options);
  const client = createVendorClient({ ky, ...config });
  const headers = { authorization: `Bearer ${config.apiKey}` };

  return {
    id: PROVIDER,

    send: createVendorSend({
      provider: PROVIDER,
      client,
      options: config,
      // JSON.stringify leaves the undefined fields out.
      request: (message) => ({
        path: 'v2/messages',
        headers,
        json: {
          from: message.sender ?? config.from,
          to: message.to,
          text: message.body,
          type: 'SMS',
          messaging_profile_id: config.messagingProfileId,
          webhook_url: message.callbackUrl ?? config.webhookUrl,
          webhook_failover_url: config.webhookFailoverUrl,
        },
      }),
      secrets: (message) => [config.apiKey, message.body],
      error: telnyxError,
      // A 2xx carrying errors is a failure all the same.
      failedIn2xx: (reply) => v.is(TelnyxErrorSchema, reply.json),
      success: TelnyxSuccessSchema,
      shape: 'data.id',
      receipt: ({ data }) => ({ messageId: data.id, raw: { data } }),
    }),

    parseDeliveryReport: parseTelnyxDeliveryReport,

    // Without publicKey, verifyTelnyxSignature throws INVALID_CONFIG naming it.
    verifyWebhook: (body, webhookHeaders) =>
      verifyTelnyxSignature({ publicKey: config.publicKey as string, body, headers: webhookHeaders }),
  };
}
