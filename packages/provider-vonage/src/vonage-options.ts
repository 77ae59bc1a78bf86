import {
  credentialOption,
  integerOption,
  ProviderHttpOptionEntries,
  type ProviderHttpOptions,
  patternOption,
  type ResolvedProviderHttpOptions,
  resolveHttpOptions,
  resolveProviderOptions,
} from '@otpkit/core/http';
import * as v from 'valibot';

/** Host of Vonage's SMS API (the legacy `rest.nexmo.com/sms`, not the Messages API). */
export const VONAGE_DEFAULT_BASE_URL = 'https://rest.nexmo.com';

/**
 * The range Vonage accepts for `ttl`, in ms: 20 s to 7 days (Vonage's default, when `ttl` is not sent,
 * is 72 h). Vonage advises at least 30 minutes.
 */
export const VONAGE_TTL_RANGE_MS = Object.freeze({ min: 20_000, max: 604_800_000 });

/** Options of `createVonageProvider`. */
export interface VonageProviderOptions extends ProviderHttpOptions {
  /** API key from the Vonage dashboard, sent as the `api_key` form field. Required. */
  apiKey: string;
  /**
   * API secret from the Vonage dashboard, sent as the `api_secret` form field; never logged, never in
   * an error. Required.
   */
  apiSecret: string;
  /**
   * Default sender (Vonage `from`): a Vonage number (digits) or an alphanumeric sender id, 1 to 15
   * letters, digits, spaces or `+`. A message's own `sender` wins. In North America it must be a Vonage
   * number or short code. Required.
   */
  from: string;
  /**
   * API host, for proxies and tests. Trailing slashes are dropped.
   * @default "https://rest.nexmo.com"
   */
  baseUrl?: string;
  /**
   * How long Vonage keeps trying to deliver, in ms (Vonage `ttl`): an integer from 20000 to 604800000.
   * Set it near your code's lifetime so a late SMS is not delivered after the code expired. Default:
   * not sent, so Vonage's own default applies (72 h).
   */
  ttlMs?: number;
}

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced secret never lands in a log.
 */
export const VonageOptionsSchema = v.object(
  {
    apiKey: credentialOption('apiKey', 'your Vonage API key'),
    apiSecret: credentialOption('apiSecret', 'your Vonage API secret'),
    from: patternOption(
      'from',
      /^(?=.*[A-Za-z0-9])[A-Za-z0-9 +]{1,15}$/,
      'a Vonage number or an alphanumeric sender id, 1 to 15 letters, digits, spaces or "+"',
    ),
    ttlMs: v.optional(
      integerOption('ttlMs', VONAGE_TTL_RANGE_MS.min, VONAGE_TTL_RANGE_MS.max, '20 s to 7 days'),
    ),
    ...ProviderHttpOptionEntries,
  },
  'options: expected an object with apiKey, apiSecret and from',
);

/** Options after validation, with defaults filled in. */
export interface ResolvedVonageOptions
  extends ResolvedProviderHttpOptions,
    Pick<VonageProviderOptions, 'apiKey' | 'apiSecret' | 'from' | 'ttlMs'> {}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveVonageOptions(input: VonageProviderOptions): ResolvedVonageOptions {
  const options = resolveProviderOptions({ id: 'vonage', name: 'Vonage' }, VonageOptionsSchema, input);
  const { apiKey, apiSecret, from, ttlMs } = options;
  return { ...resolveHttpOptions(options, VONAGE_DEFAULT_BASE_URL), apiKey, apiSecret, from, ttlMs };
}
