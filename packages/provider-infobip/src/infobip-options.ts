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

/**
 * The shape of an Infobip account's base URL (the portal shows it on its homepage): each account has
 * its own, so there is no default. Used in examples and tests.
 */
export const INFOBIP_EXAMPLE_BASE_URL = 'https://xxxxx.api.infobip.com';

/**
 * Options of `createInfobipProvider`: Infobip's own, beside the ones every provider takes
 * (`timeoutMs`, `maxResponseBytes`, `fetch`).
 */
export interface InfobipProviderOptions extends ProviderHttpOptions {
  /** API key from the Infobip portal, sent as `Authorization: App <key>`; never logged. Required. */
  apiKey: string;
  /**
   * The account's own base URL, e.g. `https://xxxxx.api.infobip.com` (a bare host from
   * `INFOBIP_BASE_URL` gets `https://`). Required: Infobip has no shared default host.
   */
  baseUrl: string;
  /**
   * Default sender (Infobip `sender`): alphanumeric (up to 11 characters) or numeric. A message's own
   * `sender` wins. Default: none sent, so the account's default applies (trial accounts: `InfoSMS`).
   */
  sender?: string;
  /** Default delivery-report URL (`webhooks.delivery.url`); a message's own `callbackUrl` wins. */
  callbackUrl?: string;
  /**
   * Ask for intermediate delivery reports too (`webhooks.delivery.intermediateReport`), e.g.
   * `DELIVERED_TO_OPERATOR`. Default: not sent (Infobip: `false`, final reports only).
   */
  intermediateReport?: boolean;
  /**
   * India DLT: your principal entity id (`options.regional.indiaDlt.principalEntityId`). With it, a
   * message's `templateId` is sent as `contentTemplateId`. Default: none (no DLT fields sent).
   */
  principalEntityId?: string;
}

const SENDER = 'a sender of 1 to 11 letters, digits or spaces, or a number of 3 to 15 digits';

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced key never lands in a log.
 */
export const InfobipOptionsSchema = v.object(
  {
    apiKey: credentialOption('apiKey', 'your Infobip API key'),
    ...ProviderHttpOptionEntries,
    baseUrl: v.nonOptional(ProviderHttpOptionEntries.baseUrl, 'baseUrl: required (your Infobip base URL)'),
    sender: v.optional(patternOption('sender', /^(?:\+?\d{3,15}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$/, SENDER)),
    callbackUrl: v.optional(patternOption('callbackUrl', /^https?:\/\/\S+$/, 'an http or https URL')),
    intermediateReport: v.optional(v.boolean('intermediateReport: expected true or false')),
    principalEntityId: v.optional(
      patternOption('principalEntityId', /^\d{1,30}$/, 'your DLT principal entity id (digits)'),
    ),
  },
  'options: expected an object with apiKey and baseUrl',
);

/** Options after validation, with defaults filled in. */
export type ResolvedInfobipOptions = ResolvedProviderHttpOptions &
  Pick<
    InfobipProviderOptions,
    'apiKey' | 'sender' | 'callbackUrl' | 'intermediateReport' | 'principalEntityId'
  >;

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveInfobipOptions(input: InfobipProviderOptions): ResolvedInfobipOptions {
  const options = resolveProviderOptions({ id: 'infobip', name: 'Infobip' }, InfobipOptionsSchema, input);
  const { apiKey, sender, callbackUrl, intermediateReport, principalEntityId } = options;
  return {
    ...resolveHttpOptions(options, options.baseUrl),
    ...{ apiKey, sender, callbackUrl, intermediateReport, principalEntityId },
  };
}
