import {
  isMessageId,
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
import { parseVonageDeliveryReport, type VonageDeliveryReport } from './vonage-delivery-report.js';
import { VONAGE_ERROR_CODES } from './vonage-errors.js';
import { isGsm7 } from './vonage-gsm7.js';
import { resolveVonageOptions, type VonageProviderOptions } from './vonage-options.js';

/**
 * The longest `client-ref` Vonage takes, in characters (the OpenAPI spec says 40; newer docs may allow
 * more). A longer `reference` is cut to this length.
 */
export const VONAGE_CLIENT_REF_MAX_LENGTH = 40;

/** Vonage's `status` for a message part it accepted. */
const ACCEPTED = '0';

/** Vonage writes every field as a string; some clients and tests send numbers. */
const text = v.pipe(
  v.union([v.string(), v.pipe(v.number(), v.finite())]),
  v.transform((value) => String(value)),
);

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

/** The Vonage provider: an `OtpProvider` with id `"vonage"` and delivery-report parsing. */
export interface VonageProvider extends OtpProvider {
  readonly id: 'vonage';
  parseDeliveryReport(payload: unknown): VonageDeliveryReport;
}

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
  // Only the dispatcher retries: ky is created with `retry: 0`, and never throws on a status.
  const client = ky.create({
    prefixUrl: config.baseUrl,
    headers: { accept: 'application/json' },
    retry: 0,
    throwHttpErrors: false,
    ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
  });

  return {
    id: PROVIDER,

    async send(input: OtpMessage, sendContext: SendContext): Promise<SendReceipt> {
      const message = validateMessage(input);
      // The credentials travel in the form body: this form is never kept, logged or put in an error.
      const form = new URLSearchParams();
      form.set('api_key', config.apiKey);
      form.set('api_secret', config.apiSecret);
      form.set('from', message.sender ?? config.from);
      form.set('to', message.to.slice(1)); // Vonage's numbers have no "+"
      form.set('text', message.body);
      if (!isGsm7(message.body)) form.set('type', 'unicode');
      if (config.ttlMs !== undefined) form.set('ttl', String(config.ttlMs));
      if (message.callbackUrl !== undefined) form.set('callback', message.callbackUrl);
      if (message.reference !== undefined) form.set('client-ref', clientRef(message.reference));

      const context: RequestContext = {
        provider: PROVIDER,
        signal: sendContext.signal,
        deadline: sendContext.deadline,
        timeoutMs: config.timeoutMs,
        maxResponseBytes: config.maxResponseBytes,
        fetch: config.fetch,
      };
      const reply = await postForm(client, 'sms/json', form, context);
      const secrets = [config.apiSecret, config.apiKey, message.body];
      const parsed = v.safeParse(VonageSendReplySchema, reply.json);
      const is2xx = reply.status >= 200 && reply.status < 300;

      if (is2xx && !parsed.success) {
        throw new OtpError(
          'INVALID_RESPONSE',
          reply.isJson
            ? `vonage: the reply to a send did not have the expected shape (a messages array, each with a status) (HTTP ${reply.status})`
            : `vonage: the reply to a send was not JSON (HTTP ${reply.status})`,
          { provider: PROVIDER, status: reply.status },
        );
      }
      const parts = parsed.success ? parsed.output.messages : [];
      const failing = parts.findIndex((part) => part.status !== ACCEPTED);

      if (is2xx && failing === -1) {
        const messageId = parts[0]!['message-id'];
        if (!isMessageId(messageId)) {
          throw new OtpError(
            'INVALID_RESPONSE',
            `vonage: the reply to a send accepted the message without a message-id (HTTP ${reply.status})`,
            { provider: PROVIDER, status: reply.status },
          );
        }
        return {
          provider: PROVIDER,
          messageId,
          to: message.to,
          acceptedAt: new Date(),
          raw: parsed.output,
        };
      }

      // A failed part (inside a 2xx, as Vonage does), or any other status: classified by the HTTP
      // status first (401/403, 429, 5xx), then by the first failed part's Vonage status.
      const part = failing === -1 ? undefined : parts[failing];
      const errorText = part?.['error-text'];
      const where = part && parts.length > 1 ? `part ${failing + 1} of ${parts.length}` : undefined;
      const vendorMessage = [where, errorText].filter(Boolean).join(': ');
      throw httpError({
        provider: PROVIDER,
        status: reply.status,
        headers: reply.headers,
        isJson: reply.isJson,
        table: VONAGE_ERROR_CODES,
        secrets,
        ...(part === undefined ? {} : { vendorCode: part.status }),
        ...(vendorMessage === '' ? {} : { vendorMessage }),
      });
    },

    parseDeliveryReport: parseVonageDeliveryReport,
  };
}

/** The message's `reference`, cut to `VONAGE_CLIENT_REF_MAX_LENGTH` characters (never half an emoji). */
function clientRef(reference: string): string {
  const characters = Array.from(reference);
  return characters.length <= VONAGE_CLIENT_REF_MAX_LENGTH
    ? reference
    : characters.slice(0, VONAGE_CLIENT_REF_MAX_LENGTH).join('');
}
