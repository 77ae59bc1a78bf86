import { httpUrl } from '@otpkit/core';
import {
  ProviderHttpOptionEntries,
  type ProviderHttpOptions,
  type ResolvedProviderHttpOptions,
  resolveHttpOptions,
  resolveProviderOptions,
} from '@otpkit/core/http';
import * as v from 'valibot';

/** Kaleyra's pods. `baseUrl` reaches any other host. */
export const KALEYRA_REGIONS = Object.freeze({
  in: 'https://api.in.kaleyra.io',
  ap: 'https://api.ap.kaleyra.io',
  eu: 'https://api.eu.kaleyra.io',
});
export type KaleyraRegion = keyof typeof KALEYRA_REGIONS;

/** The seed's host, used when neither `region` nor `baseUrl` is given. */
export const KALEYRA_DEFAULT_BASE_URL = 'https://api.kaleyra.io';

/** Options of `createKaleyraProvider`. */
export interface KaleyraProviderOptions extends ProviderHttpOptions {
  /** Account SID (Security Identifier) from the Kaleyra console, e.g. `"HXXXXXXX071US"`. Required. */
  sid: string;
  /** API key from the Kaleyra console; sent as the `api-key` header, never logged. Required. */
  apiKey: string;
  /**
   * Default sender id (Kaleyra `sender`), e.g. `"KLRHXA"`; a message's own `sender` wins. In India it must
   * be your DLT-approved header. Default: none sent, so Kaleyra uses the account's default sender.
   */
  sender?: string;
  /** Kaleyra pod: `"in"` (`api.in.kaleyra.io`), `"ap"` or `"eu"`. Give either `region` or `baseUrl`. */
  region?: KaleyraRegion;
  /**
   * Any API host, for other pods, proxies and tests: http or https, with no `user:password@`, `?query`
   * or `#fragment`. Trailing slashes are dropped.
   * @default "https://api.kaleyra.io"
   */
  baseUrl?: string;
  /** Default DLT template id (Kaleyra `template_id`); a message's own `templateId` wins. Default: none. */
  templateId?: string;
  /** Default delivery-report URL (Kaleyra `callback`); a message's own `callbackUrl` wins. Default: none. */
  callbackUrl?: string;
  /**
   * Refuse a message to a `+91` number that has no template id (Indian DLT rules make the operator drop
   * it), before any request.
   * @default true
   */
  requireTemplateIdForIndia?: boolean;
}

const nonEmpty = (field: string, pattern: RegExp, what: string) =>
  v.pipe(
    v.string(`${field}: expected ${what}`),
    v.minLength(1, `${field}: expected ${what}`),
    v.regex(pattern, `${field}: expected ${what}`),
  );

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced key never lands in a log.
 */
export const KaleyraOptionsSchema = v.pipe(
  v.object(
    {
      sid: nonEmpty('sid', /^[A-Za-z0-9_-]+$/, 'a non-empty string of letters and digits (your account SID)'),
      apiKey: nonEmpty(
        'apiKey',
        /^[\x21-\x7e]+$/,
        'a non-empty string without spaces (your Kaleyra API key)',
      ),
      sender: v.optional(
        nonEmpty('sender', /^[A-Za-z0-9+]{1,15}$/, 'a sender id of 1 to 15 letters or digits'),
      ),
      region: v.optional(
        v.picklist(Object.keys(KALEYRA_REGIONS) as KaleyraRegion[], 'region: expected "in", "ap" or "eu"'),
      ),
      templateId: v.optional(
        nonEmpty('templateId', /^[A-Za-z0-9_-]{1,64}$/, 'a template id of 1 to 64 letters or digits'),
      ),
      callbackUrl: v.optional(httpUrl('callbackUrl: expected an http or https URL')),
      requireTemplateIdForIndia: v.optional(v.boolean('requireTemplateIdForIndia: expected true or false')),
      ...ProviderHttpOptionEntries,
    },
    'options: expected an object with sid and apiKey',
  ),
  v.forward(
    v.check(
      (options) => !(options.region && options.baseUrl),
      'region: give either region or baseUrl, not both',
    ),
    ['region'],
  ),
);

/** Options after validation, with defaults filled in. */
export interface ResolvedKaleyraOptions extends ResolvedProviderHttpOptions {
  sid: string;
  apiKey: string;
  sender: string | undefined;
  templateId: string | undefined;
  callbackUrl: string | undefined;
  requireTemplateIdForIndia: boolean;
}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveKaleyraOptions(input: KaleyraProviderOptions): ResolvedKaleyraOptions {
  const options = resolveProviderOptions({ id: 'kaleyra', name: 'Kaleyra' }, KaleyraOptionsSchema, input);
  return {
    ...resolveHttpOptions(
      options,
      options.region ? KALEYRA_REGIONS[options.region] : KALEYRA_DEFAULT_BASE_URL,
    ),
    sid: options.sid,
    apiKey: options.apiKey,
    sender: options.sender,
    templateId: options.templateId,
    callbackUrl: options.callbackUrl,
    requireTemplateIdForIndia: options.requireTemplateIdForIndia ?? true,
  };
}
