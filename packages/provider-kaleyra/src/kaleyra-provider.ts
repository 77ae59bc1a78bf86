import { MessageIdSchema, OtpError } from '@otpkit/core';
import {
  createErrorReplyHandler,
  createVendorClient,
  createVendorSend,
  formOf,
  type ReportingProvider,
} from '@otpkit/core/http';
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
const kaleyraError = createErrorReplyHandler({
  provider: 'kaleyra',
  errorSchema: v.looseObject({ code: v.optional(v.unknown()), message: v.optional(v.unknown()) }),
  errorToCode: (error) => (typeof error.code === 'string' ? error.code : undefined),
  errorToMessage: (error) => (typeof error.message === 'string' ? error.message : undefined),
  table: KALEYRA_ERROR_CODES,
});

/** A 2xx that is a failure all the same: an error body (a `code`, and no `id`). */
const ErrorIn2xxSchema = v.looseObject({ code: v.string(), id: v.optional(v.undefined()) });

/** The Kaleyra provider: an `OtpProvider` with id `"kaleyra"` and delivery-report parsing. */
export type KaleyraProvider = ReportingProvider<'kaleyra'>;

const PROVIDER = 'kaleyra';

/**
 * Creates a provider that sends OTP SMS through Kaleyra's `POST /v1/{sid}/messages` (type `OTP`).
 * Options are checked here, once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 */
export function createKaleyraProvider(options: KaleyraProviderOptions): KaleyraProvider {
  const config = resolveKaleyraOptions(options);
  const client = createVendorClient({ ky, ...config, headers: { 'api-key': config.apiKey } });
  const path = `v1/${encodeURIComponent(config.sid)}/messages`;

  return {
    id: PROVIDER,

    send: createVendorSend({
      provider: PROVIDER,
      client,
      options: config,
      request(message) {
        const templateId = message.templateId ?? config.templateId;
        if (config.requireTemplateIdForIndia && templateId === undefined && message.to.startsWith('+91')) {
          throw new OtpError(
            'INVALID_INPUT',
            'templateId: Indian DLT rules need a registered template id for messages to +91 numbers; set templateId on the message or the provider (or requireTemplateIdForIndia: false)',
            {
              provider: PROVIDER,
              issues: [{ path: 'templateId', message: 'required for +91 numbers (DLT)' }],
            },
          );
        }
        const form = formOf({
          to: message.to,
          type: 'OTP',
          sender: message.sender ?? config.sender,
          body: message.body,
          callback: message.callbackUrl ?? config.callbackUrl,
          template_id: templateId,
        });
        return { path, form };
      },
      secrets: (message) => [config.apiKey, message.body],
      error: kaleyraError,
      failedIn2xx: (reply) => v.is(ErrorIn2xxSchema, reply.json),
      success: KaleyraSuccessSchema,
      shape: 'id and data[0].message_id',
      receipt: (output) => ({
        messageId: output.data[0]!.message_id,
        acceptedAt: parseKaleyraTime(output.createdDateTime),
      }),
    }),

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
