import {
  credentialOption,
  integerOption,
  optionRule,
  ProviderHttpOptionEntries,
  type ProviderHttpOptions,
  patternOption,
  prefixedIdOption,
  type ResolvedProviderHttpOptions,
  resolveHttpOptions,
  resolveProviderOptions,
} from '@otpkit/core/http';
import * as v from 'valibot';

/** Twilio's REST API host. */
export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

/**
 * Largest `validityPeriodS` accepted (seconds). Uncertain: Twilio's current docs are believed to say
 * 36000 (10 hours); an older client used 14400. Change this one constant if Twilio refuses it.
 */
export const TWILIO_MAX_VALIDITY_PERIOD_S = 36_000;

/** Options of `createTwilioProvider`. */
export interface TwilioProviderOptions extends ProviderHttpOptions {
  /** Account SID from the Twilio console: `AC` and 32 hex characters. It is in every request's path. Required. */
  accountSid: string;
  /**
   * The account's Auth Token: with `accountSid`, the HTTP Basic credentials. Give either `authToken` or
   * `apiKeySid` with `apiKeySecret`. Never logged. Default: none.
   */
  authToken?: string;
  /**
   * SID of an API key (`SK` and 32 hex characters), which Twilio recommends over the Auth Token in
   * production; sent with `apiKeySecret` as the HTTP Basic credentials. Default: none.
   */
  apiKeySid?: string;
  /** Secret of the API key `apiKeySid`. Never logged. Default: none. */
  apiKeySecret?: string;
  /**
   * Sender (Twilio `From`): a Twilio number in E.164 form, a short code, or an alphanumeric sender id.
   * Give either `from` or `messagingServiceSid`. A message's own `sender` wins over both. Default: none.
   */
  from?: string;
  /**
   * Messaging Service (`MG` and 32 hex characters), sent as `MessagingServiceSid` instead of `From`:
   * the service picks the sender. Default: none.
   */
  messagingServiceSid?: string;
  /**
   * API host, for edges, proxies and tests. Trailing slashes are dropped.
   * @default "https://api.twilio.com"
   */
  baseUrl?: string;
  /**
   * Seconds the message may wait in Twilio's queue before it fails (Twilio `ValidityPeriod`), an integer
   * from 1 to `TWILIO_MAX_VALIDITY_PERIOD_S`. Set it near the code's lifetime, so a stale code is
   * never delivered. Default: not sent (Twilio's own default applies).
   */
  validityPeriodS?: number;
}

const FROM =
  'an E.164 number (+15017122661), or 1 to 15 letters, digits or spaces (a short code or alphanumeric sender id)';
const CREDENTIALS = ['authToken', 'apiKeySid', 'apiKeySecret'] as const;

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced token never lands in a log.
 */
export const TwilioOptionsSchema = v.pipe(
  v.object(
    {
      accountSid: prefixedIdOption('accountSid', 'AC', 'your Account SID'),
      authToken: v.optional(credentialOption('authToken', 'your Auth Token')),
      apiKeySid: v.optional(prefixedIdOption('apiKeySid', 'SK', 'an API key SID')),
      apiKeySecret: v.optional(credentialOption('apiKeySecret', 'the API key secret')),
      from: v.optional(
        patternOption(
          'from',
          /^(?:\+[1-9]\d{6,14}|[A-Za-z0-9](?:[A-Za-z0-9 ]{0,13}[A-Za-z0-9])?)$/,
          `a sender: ${FROM}`,
        ),
      ),
      messagingServiceSid: v.optional(
        prefixedIdOption('messagingServiceSid', 'MG', 'a Messaging Service SID'),
      ),
      validityPeriodS: v.optional(integerOption('validityPeriodS', 1, TWILIO_MAX_VALIDITY_PERIOD_S)),
      ...ProviderHttpOptionEntries,
    },
    'options: expected an object with accountSid, authToken (or apiKeySid and apiKeySecret), and from (or messagingServiceSid)',
  ),
  // Exactly one pair of credentials, and exactly one sender.
  optionRule(
    CREDENTIALS,
    (o) => o.authToken !== undefined || o.apiKeySid !== undefined || o.apiKeySecret !== undefined,
    'authToken: required: give authToken, or apiKeySid and apiKeySecret',
  ),
  optionRule(
    CREDENTIALS,
    (o) => o.authToken === undefined || (o.apiKeySid === undefined && o.apiKeySecret === undefined),
    'authToken: give either authToken or apiKeySid with apiKeySecret, not both',
  ),
  optionRule(
    ['apiKeySid', 'apiKeySecret'],
    (o) => o.apiKeySid === undefined || o.apiKeySecret !== undefined,
    'apiKeySecret: required with apiKeySid',
    'apiKeySecret',
  ),
  optionRule(
    ['apiKeySid', 'apiKeySecret'],
    (o) => o.apiKeySecret === undefined || o.apiKeySid !== undefined,
    'apiKeySid: required with apiKeySecret',
  ),
  optionRule(
    ['from', 'messagingServiceSid'],
    (o) => (o.from === undefined) !== (o.messagingServiceSid === undefined),
    'from: give either from or messagingServiceSid (exactly one)',
  ),
);

/** Options after validation, with defaults filled in. */
export interface ResolvedTwilioOptions
  extends ResolvedProviderHttpOptions,
    Pick<TwilioProviderOptions, 'accountSid' | 'from' | 'messagingServiceSid' | 'validityPeriodS'> {
  /** The HTTP Basic user: `apiKeySid` when an API key is given, else `accountSid`. */
  username: string;
  /** The HTTP Basic password: `apiKeySecret`, else `authToken`. */
  password: string;
  /** Which credentials are used. */
  auth: 'api-key' | 'auth-token';
}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveTwilioOptions(input: TwilioProviderOptions): ResolvedTwilioOptions {
  const options = resolveProviderOptions({ id: 'twilio', name: 'Twilio' }, TwilioOptionsSchema, input);
  const { accountSid, from, messagingServiceSid, validityPeriodS, apiKeySid, apiKeySecret } = options;
  const apiKey = apiKeySid !== undefined && apiKeySecret !== undefined;
  return {
    ...resolveHttpOptions(options, TWILIO_DEFAULT_BASE_URL),
    ...{ accountSid, from, messagingServiceSid, validityPeriodS },
    username: apiKey ? apiKeySid : accountSid,
    password: apiKey ? apiKeySecret : options.authToken!,
    auth: apiKey ? 'api-key' : 'auth-token',
  };
}
