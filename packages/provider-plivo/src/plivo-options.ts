import { httpUrl } from '@otpkit/core';
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

/** Plivo's API host. */
export const PLIVO_DEFAULT_BASE_URL = 'https://api.plivo.com';

const categories = ['transactional', 'promotional', 'service_implicit', 'service_explicit'] as const;
/** The values Plivo takes for `dlt_template_category` (India). */
export const PLIVO_DLT_TEMPLATE_CATEGORIES = Object.freeze(categories);

/**
 * Options of `createPlivoProvider`: Plivo's own, beside the ones every provider takes (`baseUrl`,
 * `timeoutMs`, `maxResponseBytes`, `fetch`).
 */
export interface PlivoProviderOptions extends ProviderHttpOptions {
  /** Auth ID from the Plivo console (`MA…` or `SA…`): the user of HTTP Basic auth and part of the path. Required. */
  authId: string;
  /** Auth Token from the Plivo console: the password of HTTP Basic auth, and the key of callback signatures. Required. */
  authToken: string;
  /**
   * Default sender (`src`): a Plivo number, a short code or an alphanumeric sender id; a message's own
   * `sender` wins. Give it or `powerpackUuid`, not both. Default: none.
   */
  src?: string;
  /** Powerpack (number pool) to send from (`powerpack_uuid`), when there is no sender. Default: none. */
  powerpackUuid?: string;
  /** URL Plivo posts status callbacks to (`url`, with `method: "POST"`); a message's `callbackUrl` wins. Default: none. */
  callbackUrl?: string;
  /** India DLT: the registered entity (PE) id, `dlt_entity_id`. Default: none sent. */
  dltEntityId?: string;
  /** India DLT: the default template id, `dlt_template_id`; a message's `templateId` wins. Default: none sent. */
  dltTemplateId?: string;
  /** India DLT: the template's category, `dlt_template_category`. Default: none sent. */
  dltTemplateCategory?: (typeof PLIVO_DLT_TEMPLATE_CATEGORIES)[number];
  /**
   * API host, for proxies and tests (no `user:password@`, `?query` or `#fragment`).
   * @default "https://api.plivo.com"
   */
  baseUrl?: string;
}

const DLT_ID = /^\d{1,30}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CATEGORY = `dltTemplateCategory: expected one of ${PLIVO_DLT_TEMPLATE_CATEGORIES.join(', ')}`;
const CALLBACK = 'callbackUrl: expected an http or https URL';

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced token never lands in a log.
 */
export const PlivoOptionsSchema = v.pipe(
  v.object(
    {
      authId: patternOption(
        'authId',
        /^[A-Za-z0-9]{10,40}$/,
        'your Plivo Auth ID, e.g. "MAXXXXXXXXXXXXXXXXXX"',
      ),
      authToken: credentialOption('authToken', 'your Plivo Auth Token'),
      src: v.optional(patternOption('src', /^\+?[A-Za-z0-9]{1,15}$/, 'a Plivo number or a sender id')),
      powerpackUuid: v.optional(patternOption('powerpackUuid', UUID, 'a powerpack UUID')),
      callbackUrl: v.optional(httpUrl(CALLBACK)),
      dltEntityId: v.optional(patternOption('dltEntityId', DLT_ID, 'a DLT entity id (digits)')),
      dltTemplateId: v.optional(patternOption('dltTemplateId', DLT_ID, 'a DLT template id (digits)')),
      dltTemplateCategory: v.optional(v.picklist(PLIVO_DLT_TEMPLATE_CATEGORIES, CATEGORY)),
      ...ProviderHttpOptionEntries,
    },
    'options: expected an object with authId and authToken',
  ),
  optionRule(
    ['src', 'powerpackUuid'],
    (options) => options.src === undefined || options.powerpackUuid === undefined,
    'src: give either src or powerpackUuid, not both',
  ),
);

/** Options after validation, with defaults filled in. */
export interface ResolvedPlivoOptions
  extends ResolvedProviderHttpOptions,
    Omit<PlivoProviderOptions, keyof ProviderHttpOptions> {}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolvePlivoOptions(input: PlivoProviderOptions): ResolvedPlivoOptions {
  const options = resolveProviderOptions({ id: 'plivo', name: 'Plivo' }, PlivoOptionsSchema, input);
  return { ...options, ...resolveHttpOptions(options, PLIVO_DEFAULT_BASE_URL) };
}
