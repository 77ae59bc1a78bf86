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
import { parseTwilioDeliveryReport } from './twilio-delivery-report.js';
import { TWILIO_ERROR_CODES } from './twilio-errors.js';
import { resolveTwilioOptions, type TwilioProviderOptions } from './twilio-options.js';

/**
 * Twilio's success reply: the Message resource (`sid`, `status`, `date_created`, ...). Only `sid` is
 * required; every other field is kept as Twilio sent it.
 */
export const TwilioSuccessSchema = v.looseObject({
  sid: MessageIdSchema,
});
export type TwilioSuccessReply = v.InferOutput<typeof TwilioSuccessSchema>;

/** Twilio's error reply: `{ code: 21211, message: "...", more_info: "...", status: 400 }`. */
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
 * Creates a provider that sends OTP SMS through Twilio's
 * `POST /2010-04-01/Accounts/{accountSid}/Messages.json`, with HTTP Basic auth (the API key when given,
 * else the account SID and Auth Token). Options are checked here, once: wrong ones throw `OtpError`
 * `INVALID_CONFIG` naming the option.
 */
export function createTwilioProvider(options: TwilioProviderOptions): TwilioProvider {
  const config = resolveTwilioOptions(options);
  // Both parts are printable ASCII (checked by the options schema), which btoa encodes as is.
  const basic = btoa(`${config.username}:${config.password}`);
  // Only the dispatcher retries: ky is created with `retry: 0`, and never throws on a status.
  const client = ky.create({
    prefixUrl: config.baseUrl,
    headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
    retry: 0,
    throwHttpErrors: false,
    ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
  });
  const path = `2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;

  return {
    id: PROVIDER,

    async send(input: OtpMessage, sendContext: SendContext): Promise<SendReceipt> {
      const message = validateMessage(input);
      const form = new URLSearchParams();
      form.set('To', message.to);
      const from = message.sender ?? config.from;
      if (from !== undefined) form.set('From', from);
      else form.set('MessagingServiceSid', config.messagingServiceSid!);
      form.set('Body', message.body);
      if (message.callbackUrl !== undefined) form.set('StatusCallback', message.callbackUrl);
      if (config.validityPeriodS !== undefined) form.set('ValidityPeriod', String(config.validityPeriodS));

      const context: RequestContext = {
        provider: PROVIDER,
        signal: sendContext.signal,
        deadline: sendContext.deadline,
        timeoutMs: config.timeoutMs,
        maxResponseBytes: config.maxResponseBytes,
        fetch: config.fetch,
      };
      const reply = await postForm(client, path, form, context);

      if (reply.status >= 200 && reply.status < 300) {
        const parsed = v.safeParse(TwilioSuccessSchema, reply.json);
        if (!reply.isJson || !parsed.success) {
          throw new OtpError(
            'INVALID_RESPONSE',
            `twilio: the reply to a send did not have the expected shape (a Message resource with a sid) (HTTP ${reply.status})`,
            { provider: PROVIDER, status: reply.status },
          );
        }
        return {
          provider: PROVIDER,
          messageId: parsed.output.sid,
          to: message.to,
          acceptedAt: parseTwilioDate(parsed.output.date_created) ?? new Date(),
          raw: parsed.output,
        };
      }

      const error = v.safeParse(TwilioErrorSchema, reply.json);
      const code = error.success ? error.output.code : undefined;
      // Twilio's codes are numbers (21211); text is accepted too.
      const vendorCode =
        typeof code === 'number' && Number.isSafeInteger(code)
          ? String(code)
          : typeof code === 'string' && code.trim() !== ''
            ? code.trim()
            : undefined;
      const vendorMessage =
        error.success && typeof error.output.message === 'string' ? error.output.message : undefined;
      throw httpError({
        provider: PROVIDER,
        status: reply.status,
        headers: reply.headers,
        isJson: reply.isJson,
        table: TWILIO_ERROR_CODES,
        secrets: [config.password, basic, message.body],
        ...(vendorCode === undefined ? {} : { vendorCode }),
        ...(vendorMessage === undefined ? {} : { vendorMessage }),
      });
    },

    parseDeliveryReport: parseTwilioDeliveryReport,
  };
}

// "Thu, 30 Jul 2015 20:12:31 +0000": day name optional, seconds optional, a numeric zone or a name.
const RFC_2822 =
  /^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|[A-Za-z]{1,5})\s*$/;

/**
 * Reads Twilio's dates (`date_created`, `date_updated`, `date_sent`), which are RFC 2822
 * (`"Thu, 30 Jul 2015 20:12:31 +0000"`), not ISO 8601. `undefined` for anything else.
 */
export function parseTwilioDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !RFC_2822.test(value)) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
