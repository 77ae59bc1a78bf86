import type { OtpMessage } from '@otpkit/core';
import {
  credentialOption,
  ProviderHttpOptionEntries,
  type ProviderHttpOptions,
  patternOption,
  type ResolvedProviderHttpOptions,
  resolveHttpOptions,
  resolveProviderOptions,
} from '@otpkit/core/http';
import * as v from 'valibot';

/** MSG91's API host (the Flow API is `POST /api/v5/flow` on it). */
export const MSG91_DEFAULT_BASE_URL = 'https://control.msg91.com';

/** The template variable that gets the code unless `codeVariable` says otherwise. */
export const MSG91_DEFAULT_CODE_VARIABLE = 'otp';

/**
 * Options of `createMsg91Provider`: MSG91's own, beside the ones every provider takes (`baseUrl`,
 * `timeoutMs`, `maxResponseBytes`, `fetch`).
 */
export interface Msg91ProviderOptions extends ProviderHttpOptions {
  /** Auth key from the MSG91 panel, sent in the `authkey` header; never logged. Required. */
  authKey: string;
  /**
   * Default MSG91 template id (`template_id` of the Flow API): the template in the MSG91 panel that
   * holds your DLT template id and its text. A message's own `templateId` wins; a send with neither is
   * `INVALID_INPUT`. Default: none.
   */
  templateId?: string;
  /**
   * Default sender id (`sender`), for templates whose sender is "FromAPI"; a message's own `sender`
   * wins. Default: none sent, so the template's sender applies.
   */
  sender?: string;
  /**
   * The template variable that gets the code (MSG91 variables are case-sensitive: `otp`, `OTP`,
   * `VAR1`...). The code is the first run of 4 to 10 digits in the message's body.
   * @default "otp"
   */
  codeVariable?: string;
  /**
   * The template variables of a message, for templates with more than the code (`##name##`,
   * `##minutes##`): their names and values, sent beside `mobiles`. It replaces `codeVariable` and the
   * search for the code. Default: `{ [codeVariable]: <the code in the body> }`.
   */
  variables?: (message: OtpMessage) => Readonly<Record<string, string>>;
  /**
   * API host, for proxies and tests (no `user:password@`, `?query` or `#fragment`).
   * @default "https://control.msg91.com"
   */
  baseUrl?: string;
}

const TEMPLATE_ID = /^[\w-]{1,64}$/;
const SENDER = /^[A-Za-z0-9]{1,15}$/;
const VARIABLE = /^[A-Za-z_]\w{0,63}$/;
const VARIABLES = 'variables: expected a function from the message to its template variables';
const isFunction = (value: unknown) => typeof value === 'function';

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced key never lands in a log.
 */
export const Msg91OptionsSchema = v.object(
  {
    authKey: credentialOption('authKey', 'your MSG91 auth key'),
    templateId: v.optional(
      patternOption('templateId', TEMPLATE_ID, 'an MSG91 template id of 1 to 64 letters'),
    ),
    sender: v.optional(patternOption('sender', SENDER, 'a sender id of 1 to 15 letters or digits')),
    codeVariable: v.optional(patternOption('codeVariable', VARIABLE, 'a template variable name, e.g. "otp"')),
    variables: v.optional(v.custom<Msg91ProviderOptions['variables']>(isFunction, VARIABLES)),
    ...ProviderHttpOptionEntries,
  },
  'options: expected an object with authKey',
);

/** Options after validation, with defaults filled in. */
export interface ResolvedMsg91Options
  extends ResolvedProviderHttpOptions,
    Pick<Msg91ProviderOptions, 'authKey' | 'templateId' | 'sender' | 'variables'> {
  codeVariable: string;
}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveMsg91Options(input: Msg91ProviderOptions): ResolvedMsg91Options {
  const options = resolveProviderOptions({ id: 'msg91', name: 'MSG91' }, Msg91OptionsSchema, input);
  const { authKey, templateId, sender, variables } = options;
  const codeVariable = options.codeVariable ?? MSG91_DEFAULT_CODE_VARIABLE;
  return {
    ...resolveHttpOptions(options, MSG91_DEFAULT_BASE_URL),
    authKey,
    templateId,
    sender,
    variables,
    codeVariable,
  };
}
