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
import { parseVonageDeliveryReport } from './vonage-delivery-report.js';
import { VONAGE_ERROR_CODES } from './vonage-errors.js';
import { resolveVonageOptions, type VonageProviderOptions } from './vonage-options.js';

/**
 * Vonage's success reply. TODO: the vendor's real shape; keep only what the receipt needs, and loose
 * objects so extra fields are kept.
 */
export const VonageSuccessSchema = v.looseObject({
  message_id: v.pipe(v.string(), v.minLength(1)),
  created_at: v.optional(v.nullable(v.string())),
});
export type VonageSuccessReply = v.InferOutput<typeof VonageSuccessSchema>;

/** Vonage's error reply: `{ code: "INVALID_NUMBER", message: "..." }`. */
const VonageErrorSchema = v.looseObject({
  code: v.optional(v.unknown()),
  message: v.optional(v.unknown()),
});

/** The Vonage provider: an `OtpProvider` with id `"vonage"` and delivery-report parsing. */
export interface VonageProvider extends OtpProvider {
  readonly id: 'vonage';
  parseDeliveryReport(payload: unknown): DeliveryReport;
}

const PROVIDER = 'vonage';

/**
 * Creates a provider that sends OTP SMS through Vonage's `POST /v1/messages`. Options are checked
 * here, once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 */
export function createVonageProvider(options: VonageProviderOptions): VonageProvider {
  const config = resolveVonageOptions(options);
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
        const parsed = v.safeParse(VonageSuccessSchema, reply.json);
        if (!reply.isJson || !parsed.success) {
          throw new OtpError(
            'INVALID_RESPONSE',
            `vonage: the reply to a send did not have the expected shape (message_id) (HTTP ${reply.status})`,
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

      const error = v.safeParse(VonageErrorSchema, reply.json);
      const vendorCode =
        error.success && typeof error.output.code === 'string' ? error.output.code : undefined;
      const vendorMessage =
        error.success && typeof error.output.message === 'string' ? error.output.message : undefined;
      throw httpError({
        provider: PROVIDER,
        status: reply.status,
        headers: reply.headers,
        isJson: reply.isJson,
        table: VONAGE_ERROR_CODES,
        secrets: [config.apiKey, message.body],
        ...(vendorCode === undefined ? {} : { vendorCode }),
        ...(vendorMessage === undefined ? {} : { vendorMessage }),
      });
    },

    parseDeliveryReport: parseVonageDeliveryReport,
  };
}
