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

/** __Name__'s error reply: `{ code: "INVALID_NUMBER", message: "..." }`. */
const __Name__ErrorSchema = v.looseObject({
  code: v.optional(v.unknown()),
  message: v.optional(v.unknown()),
});

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
  // Only the dispatcher retries: ky is created with `retry: 0`, and never throws on a status.
  const client = ky.create({
    prefixUrl: config.baseUrl,
    headers: { authorization: `Bearer ${config.apiKey}`, accept: 'application/json' },
    retry: 0,
    throwHttpErrors: false,
    ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
  });

  return {
    id: PROVIDER,

    async send(input: OtpMessage, sendContext: SendContext): Promise<SendReceipt> {
      const message = validateMessage(input);
      const form = new URLSearchParams();
      form.set('to', message.to);
      form.set('body', message.body);
      const sender = message.sender ?? config.sender;
      if (sender !== undefined) form.set('sender', sender);
      if (message.callbackUrl !== undefined) form.set('callback_url', message.callbackUrl);

      // Under the dispatcher's deadline its signal limits the request; used directly, timeoutMs does
      // (one timer over headers and body). No redirect is followed, no reply read past maxResponseBytes.
      const context: RequestContext = {
        provider: PROVIDER,
        signal: sendContext.signal,
        deadline: sendContext.deadline,
        timeoutMs: config.timeoutMs,
        maxResponseBytes: config.maxResponseBytes,
        fetch: config.fetch,
      };
      const reply = await postForm(client, 'v1/messages', form, context);

      // TODO: if __Name__ reports failures inside a 2xx (as Vonage's SMS API does, with a status per
      // message), read them first and throw `httpError` with the reply's status and __Name__'s code,
      // like any failure below. Credentials sent in the form, not a header, go in `secrets` too.
      if (reply.status >= 200 && reply.status < 300) {
        const parsed = v.safeParse(__Name__SuccessSchema, reply.json);
        if (!reply.isJson || !parsed.success) {
          throw new OtpError(
            'INVALID_RESPONSE',
            `__id__: the reply to a send did not have the expected shape (message_id) (HTTP ${reply.status})`,
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

      const error = v.safeParse(__Name__ErrorSchema, reply.json);
      const code = error.success ? error.output.code : undefined;
      // Codes may be text ("INVALID_NUMBER") or numbers (21211): the table's keys and providerCode are text.
      const vendorCode =
        typeof code === 'number' && Number.isSafeInteger(code)
          ? String(code)
          : typeof code === 'string' && code !== ''
            ? code
            : undefined;
      const vendorMessage =
        error.success && typeof error.output.message === 'string' ? error.output.message : undefined;
      throw httpError({
        provider: PROVIDER,
        status: reply.status,
        headers: reply.headers,
        isJson: reply.isJson,
        table: __ID___ERROR_CODES,
        secrets: [config.apiKey, message.body],
        ...(vendorCode === undefined ? {} : { vendorCode }),
        ...(vendorMessage === undefined ? {} : { vendorMessage }),
      });
    },

    parseDeliveryReport: parse__Name__DeliveryReport,
  };
}
