import {
  type DeliveryReport,
  OtpError,
  type OtpMessage,
  type OtpProvider,
  type SendContext,
  type SendReceipt,
  validateMessage,
} from '@otpkit/core';
import { httpError, postForm, type RequestContext } from '@otpkit/core/http';
import ky from 'ky';
import * as v from 'valibot';
import { parseTwilioDeliveryReport } from './twilio-delivery-report.js';
import { TWILIO_ERROR_CODES } from './twilio-errors.js';
import { resolveTwilioOptions, type TwilioProviderOptions } from './twilio-options.js';

/**
 * Twilio's success reply. TODO: the vendor's real shape; keep only what the receipt needs, and loose
 * objects so extra fields are kept.
 */
export const TwilioSuccessSchema = v.looseObject({
  message_id: v.pipe(v.string(), v.minLength(1)),
  created_at: v.optional(v.nullable(v.string())),
});
export type TwilioSuccessReply = v.InferOutput<typeof TwilioSuccessSchema>;

/** Twilio's error reply: `{ code: "INVALID_NUMBER", message: "..." }`. */
const TwilioErrorSchema = v.looseObject({
  code: v.optional(v.unknown()),
  message: v.optional(v.unknown()),
});

/** The Twilio provider: an `OtpProvider` with id `"twilio"` and delivery-report parsing. */
export interface TwilioProvider extends OtpProvider {
  readonly id: 'twilio';
  parseDeliveryReport(payload: unknown): DeliveryReport;
}

const PROVIDER = 'twilio';

/**
 * Creates a provider that sends OTP SMS through Twilio's `POST /v1/messages`. Options are checked
 * here, once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 */
export function createTwilioProvider(options: TwilioProviderOptions): TwilioProvider {
  const config = resolveTwilioOptions(options);
  // Only the dispatcher retries: ky is created with `retry: 0`, and never throws on a status.
  const client = ky.create({
    prefixUrl: config.baseUrl,
    headers: { authorization: `Bearer ${config.apiKey}`, accept: 'application/json' },
    retry: 0,
    timeout: config.timeoutMs,
    throwHttpErrors: false,
    ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
  });

  return {
    id: PROVIDER,

    async send(input: OtpMessage, { signal }: SendContext): Promise<SendReceipt> {
      const message = validateMessage(input);
      const form = new URLSearchParams();
      form.set('to', message.to);
      form.set('body', message.body);
      const sender = message.sender ?? config.sender;
      if (sender !== undefined) form.set('sender', sender);
      if (message.callbackUrl !== undefined) form.set('callback_url', message.callbackUrl);

      const context: RequestContext = { provider: PROVIDER, signal };
      const reply = await postForm(client, 'v1/messages', form, context);

      if (reply.status >= 200 && reply.status < 300) {
        const parsed = v.safeParse(TwilioSuccessSchema, reply.json);
        if (!reply.isJson || !parsed.success) {
          throw new OtpError(
            'INVALID_RESPONSE',
            `twilio: the reply to a send did not have the expected shape (message_id) (HTTP ${reply.status})`,
            { provider: PROVIDER, status: reply.status },
          );
        }
        const createdAt = parsed.output.created_at ? new Date(parsed.output.created_at) : undefined;
        return {
          provider: PROVIDER,
          messageId: parsed.output.message_id,
          to: message.to,
          acceptedAt: createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt : new Date(),
          raw: parsed.output,
        };
      }

      const error = v.safeParse(TwilioErrorSchema, reply.json);
      const vendorCode =
        error.success && typeof error.output.code === 'string' ? error.output.code : undefined;
      const vendorMessage =
        error.success && typeof error.output.message === 'string' ? error.output.message : undefined;
      throw httpError({
        provider: PROVIDER,
        status: reply.status,
        headers: reply.headers,
        isJson: reply.isJson,
        table: TWILIO_ERROR_CODES,
        secrets: [config.apiKey, message.body],
        ...(vendorCode === undefined ? {} : { vendorCode }),
        ...(vendorMessage === undefined ? {} : { vendorMessage }),
      });
    },

    parseDeliveryReport: parseTwilioDeliveryReport,
  };
}
