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

/** Sinch's SMS regions (the SDK's `SupportedSmsRegion`); each one's host is `https://{region}.sms.api.sinch.com`. */
export const SINCH_REGIONS = Object.freeze(['us', 'eu', 'br', 'ca', 'au'] as const);

/** A Sinch SMS region: `us`, `eu`, `br`, `ca` or `au`. */
export type SinchRegion = (typeof SINCH_REGIONS)[number];

/** The host of a region's SMS API. */
export const sinchRegionHost = (region: SinchRegion) => `https://${region}.sms.api.sinch.com`;

/** The host of the default region, `us` (as Sinch's SDK defaults). */
export const SINCH_DEFAULT_BASE_URL = sinchRegionHost('us');

const DELIVERY_REPORT_KINDS = ['none', 'summary', 'full', 'per_recipient', 'per_recipient_final'] as const;

/** Sinch's `delivery_report` kinds: which delivery callbacks a batch asks for. */
export type SinchDeliveryReportKind = (typeof DELIVERY_REPORT_KINDS)[number];

/**
 * Options of `createSinchProvider`: Sinch's own, beside the ones every provider takes
 * (`baseUrl`, `timeoutMs`, `maxResponseBytes`, `fetch`).
 */
export interface SinchProviderOptions extends ProviderHttpOptions {
  /** The service plan id from the Sinch dashboard (SMS → APIs), the `{service_plan_id}` of the path. Required. */
  servicePlanId: string;
  /** The service plan's API token, sent as `Authorization: Bearer <token>`; never logged. Required. */
  apiToken: string;
  /**
   * Default sender (Sinch `from`): a number in E.164, a short code or an alphanumeric sender id. A
   * message's own `sender` wins. Default: none sent, so the service plan's Automatic Default
   * Originator applies (Sinch refuses the batch without one).
   */
  from?: string;
  /**
   * The region of the service plan: its host is `https://{region}.sms.api.sinch.com`. Give either
   * `region` or `baseUrl`.
   * @default "us"
   */
  region?: SinchRegion;
  /** Default delivery-report URL (Sinch `callback_url`); a message's own `callbackUrl` wins. Default: none. */
  callbackUrl?: string;
  /**
   * Which delivery reports to ask for (Sinch `delivery_report`). Default: `"per_recipient_final"`
   * (one callback per recipient, final states only) when the batch has a callback URL, else not sent
   * (Sinch's own default, `"none"`).
   */
  deliveryReport?: SinchDeliveryReportKind;
  /**
   * API host, for proxies and tests (no `user:password@`, `?query` or `#fragment`).
   * @default "https://us.sms.api.sinch.com"
   */
  baseUrl?: string;
}

const FROM = 'a number in E.164 (+12015550100), a short code, or 1 to 11 letters, digits or spaces';
const FROM_PATTERN = /^(?:\+?[1-9]\d{2,14}|[A-Za-z0-9](?:[A-Za-z0-9 ]{0,9}[A-Za-z0-9])?)$/;
const PLAN = 'your Sinch service plan id, 1 to 64 letters, digits, "-" or "_"';
const KINDS = `deliveryReport: expected one of ${DELIVERY_REPORT_KINDS.join(', ')}`;

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced token never lands in a log.
 */
export const SinchOptionsSchema = v.pipe(
  v.object(
    {
      servicePlanId: patternOption('servicePlanId', /^[A-Za-z0-9_-]{1,64}$/, PLAN),
      apiToken: credentialOption('apiToken', 'your Sinch service plan API token'),
      from: v.optional(patternOption('from', FROM_PATTERN, FROM)),
      region: v.optional(v.picklist(SINCH_REGIONS, 'region: expected "us", "eu", "br", "ca" or "au"')),
      callbackUrl: v.optional(patternOption('callbackUrl', /^https?:\/\/[^\s]+$/, 'an http or https URL')),
      deliveryReport: v.optional(v.picklist(DELIVERY_REPORT_KINDS, KINDS)),
      ...ProviderHttpOptionEntries,
    },
    'options: expected an object with servicePlanId and apiToken',
  ),
  optionRule(
    ['region', 'baseUrl'],
    (o) => o.region === undefined || o.baseUrl === undefined,
    'region: give either region or baseUrl, not both',
  ),
);

/** Options after validation, with defaults filled in. */
export type ResolvedSinchOptions = ResolvedProviderHttpOptions &
  Pick<SinchProviderOptions, 'servicePlanId' | 'apiToken' | 'from' | 'callbackUrl' | 'deliveryReport'>;

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveSinchOptions(input: SinchProviderOptions): ResolvedSinchOptions {
  const options = resolveProviderOptions({ id: 'sinch', name: 'Sinch' }, SinchOptionsSchema, input);
  const { servicePlanId, apiToken, from, callbackUrl, deliveryReport } = options;
  return {
    ...resolveHttpOptions(options, sinchRegionHost(options.region ?? 'us')),
    ...{ servicePlanId, apiToken, from, callbackUrl, deliveryReport },
  };
}
