import { type OtpMessage, type SendContext, type SendReceipt, validateMessage } from '@otpkit/core';
import {
  acceptedMessageId,
  createErrorReplyHandler,
  createVendorClient,
  formOf,
  isGsm7,
  isSuccess,
  parseSuccessReply,
  postForm,
  type ReportingProvider,
  requestContext,
  VendorTextSchema,
} from '@otpkit/core/http';
import ky from 'ky';
import * as v from 'valibot';
import { parseVonageDeliveryReport, type VonageDeliveryReport } from './vonage-delivery-report.js';
import { VONAGE_ERROR_CODES } from './vonage-errors.js';
import { resolveVonageOptions, type VonageProviderOptions } from './vonage-options.js';

/**
 * The longest `client-ref` Vonage takes, in characters (the OpenAPI spec says 40; newer docs may allow
 * more). A longer `reference` is cut to this length.
 */
export const VONAGE_CLIENT_REF_MAX_LENGTH = 40;

/** Vonage's `status` for a message part it accepted. */
const ACCEPTED = '0';

// Vonage writes every field as a string; some clients and tests send numbers.
const text = VendorTextSchema;

/**
 * Vonage's reply to `POST /sms/json`, success or failure alike (it comes with HTTP 200 either way):
 * one `messages[]` entry per part of the text, each with its own `status` (`"0"`: accepted) and, when
 * accepted, its own `message-id`; a failed part has `error-text` instead. Extra fields are kept.
 */
export const VonageSendReplySchema = v.looseObject({
  'message-count': v.optional(text),
  messages: v.pipe(
    v.array(
      v.looseObject({
        status: text,
        'message-id': v.optional(v.string()),
        'error-text': v.optional(v.string()),
        to: v.optional(v.string()),
      }),
    ),
    v.minLength(1),
  ),
});
export type VonageSendReply = v.InferOutput<typeof VonageSendReplySchema>;

/**
 * A failed reply (a failed part inside a 2xx, as Vonage does, or any other status): classified by the
 * HTTP status first (401/403, 429, 5xx), then by the first failed part's Vonage status.
 */
const vonageError = createErrorReplyHandler({
  provider: 'vonage',
  errorSchema: VonageSendReplySchema,
  errorToCode: (reply) => reply.messages.find((part) => part.status !== ACCEPTED)?.status,
  errorToMessage({ messages }) {
    const failing = messages.findIndex((part) => part.status !== ACCEPTED);
    if (failing === -1) return undefined;
    const where = messages.length > 1 ? `part ${failing + 1} of ${messages.length}` : undefined;
    return [where, messages[failing]!['error-text']].filter(Boolean).join(': ');
  },
  table: VONAGE_ERROR_CODES,
});

/** The Vonage provider: an `OtpProvider` with id `"vonage"` and delivery-report parsing. */
export type VonageProvider = ReportingProvider<'vonage', VonageDeliveryReport>;

const PROVIDER = 'vonage';

/**
 * Creates a provider that sends OTP SMS through Vonage's SMS API, `POST {baseUrl}/sms/json`. Options
 * are checked here, once: wrong ones throw `OtpError` `INVALID_CONFIG` naming the option.
 *
 * Vonage answers HTTP 200 whether or not it accepted the message: the provider reads the `status` of
 * every part, and fails with the first non-zero one, classified by `VONAGE_ERROR_CODES`.
 */
export function createVonageProvider(options: VonageProviderOptions): VonageProvider {
  const config = resolveVonageOptions(options);
  const client = createVendorClient({ ky, ...config });

  return {
    id: PROVIDER,

    async send(input: OtpMessage, sendContext: SendContext): Promise<SendReceipt> {
      const message = validateMessage(input);
      // The credentials travel in the form body: this form is never kept, logged or put in an error.
      const form = formOf({
        api_key: config.apiKey,
        api_secret: config.apiSecret,
        from: message.sender ?? config.from,
        to: message.to.slice(1), // Vonage's numbers have no "+"
        text: message.body,
        type: isGsm7(message.body) ? undefined : 'unicode',
        ttl: config.ttlMs === undefined ? undefined : String(config.ttlMs),
        callback: message.callbackUrl,
        'client-ref': message.reference === undefined ? undefined : clientRef(message.reference),
      });
      const reply = await postForm(client, 'sms/json', form, requestContext(PROVIDER, config, sendContext));
      const secrets = [config.apiSecret, config.apiKey, message.body];
      if (!isSuccess(reply)) throw vonageError(reply, secrets);
      const shape = 'a messages array, each with a status';
      const output = parseSuccessReply(PROVIDER, reply, VonageSendReplySchema, shape);
      if (output.messages.some((part) => part.status !== ACCEPTED)) throw vonageError(reply, secrets);
      const messageId = acceptedMessageId(PROVIDER, reply, output.messages[0]!['message-id'], 'message-id');
      return { provider: PROVIDER, messageId, to: message.to, acceptedAt: new Date(), raw: output };
    },

    parseDeliveryReport: parseVonageDeliveryReport,
  };
}

/** The message's `reference`, cut to `VONAGE_CLIENT_REF_MAX_LENGTH` characters (never half an emoji). */
function clientRef(reference: string): string {
  return Array.from(reference).slice(0, VONAGE_CLIENT_REF_MAX_LENGTH).join('');
}
