import {
  type DeliveryReport,
  MessageIdSchema,
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
import { parseKaleyraDeliveryReport } from './kaleyra-delivery-report.js';
import { KALEYRA_ERROR_CODES } from './kaleyra-errors.js';
import { type KaleyraProviderOptions, resolveKaleyraOptions } from './kaleyra-options.js';

/** Kaleyra's success reply (the seed's example; extra fields are kept). */
export const KaleyraSuccessSchema = v.looseObject({
  id: v.string(),
  createdDateTime: v.optional(v.nullable(v.string())),
  data: v.pipe(v.array(v.looseObject({ message_id: MessageIdSchema })), v.minLength(1)),
});
export type KaleyraSuccessReply = v.InferOutput<typeof KaleyraSuccessSchema>;

/** Kaleyra's error reply: `{ code: "E404", message: "...", error: { ... } }`. */
const KaleyraErrorSchema = v.looseObject({
  code: v.optional(v.unknown()),
  message: v.optional(v.unknown()),
  id: v.optional(v.unknown()),
});

const NO_ERROR_BODY = { success: false } as const;

/** The Kaleyra provider: an `OtpProvider` with id `"kaleyra"` and delivery-report parsing. */
export interface KaleyraProvider extends OtpProvider {
  readonly id: 'kaleyra';
  parseDeliveryReport(payload: unknown): DeliveryReport;
}

const PROVIDER = 'kaleyra';

/**
 * Creates a provider that sends OTP SMS through Kaleyra's `POST /v1/{sid}/messages` (type `OTP`).
 * Options are checked here, once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 */
export function createKaleyraProvider(options: KaleyraProviderOptions): KaleyraProvider {
  const config = resolveKaleyraOptions(options);
  const client = ky.create({
    prefixUrl: config.baseUrl,
    headers: { 'api-key': config.apiKey, accept: 'application/json' },
    retry: 0,
    throwHttpErrors: false,
    ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
  });
  const path = `v1/${encodeURIComponent(config.sid)}/messages`;

  return {
    id: PROVIDER,

    async send(input: OtpMessage, sendContext: SendContext): Promise<SendReceipt> {
      const message = validateMessage(input);
      const templateId = message.templateId ?? config.templateId;
      if (config.requireTemplateIdForIndia && templateId === undefined && message.to.startsWith('+91')) {
        throw new OtpError(
          'INVALID_INPUT',
          'templateId: Indian DLT rules need a registered template id for messages to +91 numbers; set templateId on the message or the provider (or requireTemplateIdForIndia: false)',
          { provider: PROVIDER, issues: [{ path: 'templateId', message: 'required for +91 numbers (DLT)' }] },
        );
      }
      const form = new URLSearchParams();
      form.set('to', message.to);
      form.set('type', 'OTP');
      const sender = message.sender ?? config.sender;
      if (sender !== undefined) form.set('sender', sender);
      form.set('body', message.body);
      const callback = message.callbackUrl ?? config.callbackUrl;
      if (callback !== undefined) form.set('callback', callback);
      if (templateId !== undefined) form.set('template_id', templateId);

      const context: RequestContext = {
        provider: PROVIDER,
        signal: sendContext.signal,
        deadline: sendContext.deadline,
        timeoutMs: config.timeoutMs,
        maxResponseBytes: config.maxResponseBytes,
        fetch: config.fetch,
      };
      const reply = await postForm(client, path, form, context);
      const ok = reply.status >= 200 && reply.status < 300;
      // The error shape is read only where it can be: a failed status, or a 2xx that carries a `code`.
      const mayBeError =
        !ok || (typeof reply.json === 'object' && reply.json !== null && Object.hasOwn(reply.json, 'code'));
      const errorBody = mayBeError ? v.safeParse(KaleyraErrorSchema, reply.json) : NO_ERROR_BODY;
      const vendorCode =
        errorBody.success && typeof errorBody.output.code === 'string' ? errorBody.output.code : undefined;
      const vendorMessage =
        errorBody.success && typeof errorBody.output.message === 'string'
          ? errorBody.output.message
          : undefined;
      const failedIn2xx = errorBody.success && vendorCode !== undefined && errorBody.output.id === undefined;

      if (ok && !failedIn2xx) {
        if (!reply.isJson) {
          throw new OtpError(
            'INVALID_RESPONSE',
            `kaleyra: the reply to a send was not JSON (HTTP ${reply.status})`,
            {
              provider: PROVIDER,
              status: reply.status,
            },
          );
        }
        const parsed = v.safeParse(KaleyraSuccessSchema, reply.json);
        if (!parsed.success) {
          throw new OtpError(
            'INVALID_RESPONSE',
            `kaleyra: the reply to a send did not have the expected shape (id and data[0].message_id) (HTTP ${reply.status})`,
            { provider: PROVIDER, status: reply.status },
          );
        }
        return {
          provider: PROVIDER,
          messageId: parsed.output.data[0]!.message_id,
          to: message.to,
          acceptedAt: parseKaleyraTime(parsed.output.createdDateTime) ?? new Date(),
          raw: parsed.output,
        };
      }
      throw httpError({
        provider: PROVIDER,
        status: reply.status,
        headers: reply.headers,
        isJson: reply.isJson,
        table: KALEYRA_ERROR_CODES,
        secrets: [config.apiKey, message.body],
        ...(vendorCode === undefined ? {} : { vendorCode }),
        ...(vendorMessage === undefined ? {} : { vendorMessage }),
      });
    },

    parseDeliveryReport: parseKaleyraDeliveryReport,
  };
}

/** Reads Kaleyra's `"2019-11-04 10:42:23+00:00"` (a space, not `T`), or any ISO date. */
export function parseKaleyraTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  // The usual form, "2019-11-04 10:42:23+00:00", needs only its space turned into a T.
  const iso =
    value.length > 10 && value[10] === ' '
      ? `${value.slice(0, 10)}T${value.slice(11)}`
      : value.trim().replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
