import {
  createErrorReplyHandler,
  createVendorClient,
  createVendorSend,
  formOf,
  isGsm7,
  type ReportingProvider,
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
const CLIENT_REF = VONAGE_CLIENT_REF_MAX_LENGTH;

// Vonage writes every field as a string; some clients and tests send numbers (VendorTextSchema).
/**
 * Vonage's reply to `POST /sms/json`, success or failure alike (it comes with HTTP 200 either way):
 * one `messages[]` entry per part of the text, each with its own `status` (`"0"`: accepted) and, when
 * accepted, its own `message-id`; a failed part has `error-text` instead. Extra fields are kept.
 */
export const VonageSendReplySchema = v.looseObject({
  'message-count': v.optional(VendorTextSchema),
  messages: v.pipe(
    v.array(
      v.looseObject({
        status: VendorTextSchema,
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

    send: createVendorSend({
      provider: PROVIDER,
      client,
      options: config,
      // The credentials travel in the form body: this form is never kept, logged or put in an error.
      request: (message) => ({
        path: 'sms/json',
        form: formOf({
          api_key: config.apiKey,
          api_secret: config.apiSecret,
          from: message.sender ?? config.from,
          to: message.to.slice(1), // Vonage's numbers have no "+"
          text: message.body,
          type: isGsm7(message.body) ? undefined : 'unicode',
          ttl: config.ttlMs === undefined ? undefined : String(config.ttlMs),
          callback: message.callbackUrl,
          // The reference, cut to VONAGE_CLIENT_REF_MAX_LENGTH characters (never half an emoji).
          'client-ref': message.reference && Array.from(message.reference).slice(0, CLIENT_REF).join(''),
        }),
      }),
      secrets: (message) => [config.apiSecret, config.apiKey, message.body],
      error: vonageError,
      success: VonageSendReplySchema,
      shape: 'a messages array, each with a status',
      // Vonage answers HTTP 200 either way: a part it did not accept fails the send.
      refused: (output) => output.messages.some((part) => part.status !== ACCEPTED),
      receipt: (output) => ({ messageId: output.messages[0]!['message-id'] }),
      messageIdField: 'message-id',
    }),

    parseDeliveryReport: parseVonageDeliveryReport,
  };
}
