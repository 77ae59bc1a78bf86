import {
  credentialOption,
  optionRule,
  ProviderHttpOptionEntries,
  type ProviderHttpOptions,
  patternOption,
  type ResolvedProviderHttpOptions,
  resolveHttpOptions,
  resolveProviderOptions,
} from '@otpkit/core/http';
import * as v from 'valibot';

/** Telnyx's API host; the provider posts to `{baseUrl}/v2/messages` (API v2). */
export const TELNYX_DEFAULT_BASE_URL = 'https://api.telnyx.com';

/**
 * Options of `createTelnyxProvider`: Telnyx's own, beside the ones every provider takes
 * (`baseUrl`, `timeoutMs`, `maxResponseBytes`, `fetch`).
 */
export interface TelnyxProviderOptions extends ProviderHttpOptions {
  /**
   * API key (v2) from Mission Control (Portal → Keys & Credentials → API Keys), usually `KEY…`; sent as
   * `Authorization: Bearer`, never logged. Required.
   */
  apiKey: string;
  /**
   * Default sender (Telnyx `from`): a Telnyx number in +E.164, a short code (digits), or an alphanumeric
   * sender id (1 to 11 letters, digits or spaces, with a letter; it needs `messagingProfileId`). A
   * message's own `sender` wins. Give `from`, `messagingProfileId`, or both.
   */
  from?: string;
  /**
   * Messaging profile id (a UUID, Telnyx `messaging_profile_id`): required by Telnyx for an
   * alphanumeric sender and for sending from the profile's number pool (then `from` may be left out).
   * Default: not sent.
   */
  messagingProfileId?: string;
  /**
   * Default delivery-report URL (Telnyx `webhook_url`); a message's own `callbackUrl` wins. Default: not
   * sent, so Telnyx uses the messaging profile's webhook URL.
   */
  webhookUrl?: string;
  /** Telnyx `webhook_failover_url`, tried when `webhookUrl` fails. Default: not sent. */
  webhookFailoverUrl?: string;
  /**
   * The account's public key (base64, 32 bytes: Portal → Keys & Credentials → Public Key), used by the
   * provider's `verifyWebhook`. Default: none (then `verifyWebhook` throws `INVALID_CONFIG`).
   */
  publicKey?: string;
  /**
   * API host, for proxies and tests (no `user:password@`, `?query` or `#fragment`).
   * @default "https://api.telnyx.com"
   */
  baseUrl?: string;
}

const FROM =
  'a +E.164 number, a short code of 3 to 8 digits, or an alphanumeric sender id of 1 to 11 letters, digits or spaces';
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const url = (field: string) => patternOption(field, /^https?:\/\/[^\s]+$/, 'an http(s) URL');

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced key never lands in a log.
 */
export const TelnyxOptionsSchema = v.pipe(
  v.object(
    {
      apiKey: credentialOption('apiKey', 'your Telnyx API key'),
      from: v.optional(
        patternOption('from', /^(?:\+[1-9]\d{6,14}|\d{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/, FROM),
      ),
      messagingProfileId: v.optional(
        patternOption('messagingProfileId', UUID, 'a UUID (your Telnyx messaging profile id)'),
      ),
      webhookUrl: v.optional(url('webhookUrl')),
      webhookFailoverUrl: v.optional(url('webhookFailoverUrl')),
      publicKey: v.optional(
        patternOption('publicKey', /^[A-Za-z0-9+/]{43}=$/, 'the Telnyx public key, 32 bytes in base64'),
      ),
      ...ProviderHttpOptionEntries,
    },
    'options: expected an object with apiKey and from or messagingProfileId',
  ),
  optionRule(
    ['from', 'messagingProfileId'],
    (options) => options.from !== undefined || options.messagingProfileId !== undefined,
    'from: give from (a Telnyx number, short code or sender id), messagingProfileId (a number pool), or both',
  ),
);

/** Options after validation, with defaults filled in. */
export type ResolvedTelnyxOptions = ResolvedProviderHttpOptions &
  Omit<TelnyxProviderOptions, keyof ProviderHttpOptions>;

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveTelnyxOptions(input: TelnyxProviderOptions): ResolvedTelnyxOptions {
  const options = resolveProviderOptions({ id: 'telnyx', name: 'Telnyx' }, TelnyxOptionsSchema, input);
  const { baseUrl: _, timeoutMs: __, maxResponseBytes: ___, fetch: ____, ...own } = options;
  return { ...resolveHttpOptions(options, TELNYX_DEFAULT_BASE_URL), ...own };
}
