import { MessageIdSchema, OtpError } from '@otpkit/core';
import {
  createErrorReplyHandler,
  createVendorClient,
  createVendorSend,
  type ReportingProvider,
  vendorCodeText,
} from '@otpkit/core/http';
import ky from 'ky';
import * as v from 'valibot';
import { parseMsg91DeliveryReport } from './msg91-delivery-report.js';
import { MSG91_ERROR_CODES, msg91ErrorLabel } from './msg91-errors.js';
import { type Msg91ProviderOptions, resolveMsg91Options } from './msg91-options.js';

/** The Flow API's path under the host. */
export const MSG91_FLOW_PATH = 'api/v5/flow';

/** MSG91's reply to a send it took: `{ "type": "success", "message": "<24-hex request id>" }`. */
export const Msg91SuccessSchema = v.looseObject({
  type: v.literal('success'),
  message: MessageIdSchema,
});
export type Msg91SuccessReply = v.InferOutput<typeof Msg91SuccessSchema>;

/** A 2xx that is a failure all the same: MSG91's `type: "error"`. */
const ErrorIn2xxSchema = v.looseObject({ type: v.literal('error') });

/**
 * A failed reply, `{ "type": "error", "message": "...", "code"?: ... }` with any HTTP status (the
 * handler's default body, `{ code, message }`): classified by the HTTP status first (401/403, 429,
 * 5xx), then by MSG91's `code`, or, without one, by what its text says (`msg91ErrorLabel`), then
 * `REJECTED`.
 */
const msg91Error = createErrorReplyHandler({
  provider: 'msg91',
  errorToCode: (error) =>
    vendorCodeText(error.code) ??
    msg91ErrorLabel(typeof error.message === 'string' ? error.message : undefined),
  table: MSG91_ERROR_CODES,
});

/** The MSG91 provider: an `OtpProvider` with id `"msg91"` and delivery-report parsing. */
export type Msg91Provider = ReportingProvider<'msg91'>;

const PROVIDER = 'msg91';
/** The code in a body: the first run of 4 to 10 digits. */
const CODE = /(?<!\d)\d{4,10}(?!\d)/;

/** The default variables: the code in the body, as `name`; a body without one is `INVALID_INPUT`. */
function codeVariable(body: string, name: string): Record<string, string> {
  const code = CODE.exec(body)?.[0];
  if (code !== undefined) return { [name]: code };
  throw failure(
    'INVALID_INPUT',
    `expected the body to hold the code (4 to 10 digits) for the template variable ${name}`,
  );
}

const failure = (code: 'INVALID_INPUT' | 'INVALID_CONFIG', text: string) =>
  new OtpError(code, `msg91: ${text}`, { provider: PROVIDER });

/** A variable's value holds the code, so it is a secret too (short ones, "10" minutes, would redact too much). */
const isSecretValue = (value: string) => value.length >= 4;
const isVariables = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every((item) => typeof item === 'string');

/**
 * Creates a provider that sends OTP SMS through MSG91's Flow API, `POST {baseUrl}/api/v5/flow`: a
 * template of the MSG91 panel (`template_id`, which holds the DLT template), the recipient without its
 * `+`, and the code in the template variable `codeVariable`. Options are checked here, once: wrong
 * ones throw `OtpError` `INVALID_CONFIG` naming the option.
 *
 * MSG91 answers most failures with HTTP 200 and `type: "error"`: the provider reads the body before it
 * takes a 2xx for a success. The message id is MSG91's request id (the reply's `message`), which its
 * delivery reports carry as `requestId`. The Flow API takes no callback URL: the webhook is set in the
 * MSG91 panel, and a message's `callbackUrl` is not sent.
 */
export function createMsg91Provider(options: Msg91ProviderOptions): Msg91Provider {
  const config = resolveMsg91Options(options);
  const client = createVendorClient({ ky, ...config, headers: { authkey: config.authKey } });

  return {
    id: PROVIDER,

    send: createVendorSend({
      provider: PROVIDER,
      client,
      options: config,
      request(message) {
        const templateId = message.templateId ?? config.templateId;
        if (templateId === undefined) {
          throw failure(
            'INVALID_INPUT',
            'expected a template id (the message templateId or the templateId option)',
          );
        }
        const variables = config.variables
          ? config.variables(message)
          : codeVariable(message.body, config.codeVariable);
        if (!isVariables(variables)) {
          throw failure(
            'INVALID_CONFIG',
            'variables: expected the function to return an object of text values',
          );
        }
        const sender = message.sender ?? config.sender;
        const json = {
          template_id: templateId,
          ...(sender === undefined ? {} : { sender }),
          recipients: [{ ...variables, mobiles: message.to.slice(1) }],
        };
        // The variables' values (the code among them) stay out of errors too.
        return { path: MSG91_FLOW_PATH, json, secrets: Object.values(variables).filter(isSecretValue) };
      },
      secrets: (message) => [config.authKey, message.body],
      error: msg91Error,
      failedIn2xx: (reply) => v.is(ErrorIn2xxSchema, reply.json),
      success: Msg91SuccessSchema,
      shape: 'type "success" and the request id in message',
      receipt: (output) => ({ messageId: output.message }),
    }),

    parseDeliveryReport: parseMsg91DeliveryReport,
  };
}
