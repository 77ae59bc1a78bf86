import { MessageIdSchema } from '@otpkit/core';
import {
  createErrorReplyHandler,
  createVendorClient,
  createVendorSend,
  formOf,
  parseVendorTime,
  type ReportingProvider,
} from '@otpkit/core/http';
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
// Twilio's codes are numbers (21211), read as text by the handler's default; text is accepted too.
const twilioError = createErrorReplyHandler({ provider: 'twilio', table: TWILIO_ERROR_CODES });

/** The Twilio provider: an `OtpProvider` with id `"twilio"` and delivery-report parsing. */
export type TwilioProvider = ReportingProvider<'twilio'>;

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
  const client = createVendorClient({ ky, ...config, headers: { authorization: `Basic ${basic}` } });
  const path = `2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;

  return {
    id: PROVIDER,

    send: createVendorSend({
      provider: PROVIDER,
      client,
      options: config,
      request(message) {
        const from = message.sender ?? config.from;
        const form = formOf({
          To: message.to,
          From: from,
          MessagingServiceSid: from === undefined ? config.messagingServiceSid : undefined,
          Body: message.body,
          StatusCallback: message.callbackUrl,
          ValidityPeriod: config.validityPeriodS === undefined ? undefined : String(config.validityPeriodS),
        });
        return { path, form };
      },
      secrets: (message) => [config.password, basic, message.body],
      error: twilioError,
      success: TwilioSuccessSchema,
      shape: 'a Message resource with a sid',
      receipt: (output) => ({ messageId: output.sid, acceptedAt: parseTwilioDate(output.date_created) }),
    }),

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
  return typeof value === 'string' && RFC_2822.test(value) ? parseVendorTime(value) : undefined;
}
