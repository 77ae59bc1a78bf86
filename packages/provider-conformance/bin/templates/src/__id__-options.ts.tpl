import {
  ProviderHttpOptionEntries,
  type ProviderHttpOptions,
  type ResolvedProviderHttpOptions,
  resolveHttpOptions,
  resolveProviderOptions,
} from '@otpkit/core/http';
import * as v from 'valibot';

/** __Name__'s API host. TODO: the vendor's real host (and its regions, if it has several). */
export const __ID___DEFAULT_BASE_URL = 'https://api.__id__.example';

/**
 * Options of `create__Name__Provider`: __Name__'s own, beside the ones every provider takes
 * (`baseUrl`, `timeoutMs`, `maxResponseBytes`, `fetch`).
 */
export interface __Name__ProviderOptions extends ProviderHttpOptions {
  /** API key from the __Name__ console; sent as a bearer token, never logged. Required. */
  apiKey: string;
  /** Default sender id; a message's own `sender` wins. Default: none sent, so __Name__ uses the account's. */
  sender?: string;
  /**
   * API host, for proxies and tests (no `user:password@`, `?query` or `#fragment`).
   * @default "https://api.__id__.example"
   */
  baseUrl?: string;
}

const API_KEY = 'apiKey: expected a non-empty string without spaces (your __Name__ API key)';
const SENDER = 'sender: expected a sender id of 1 to 15 letters or digits';

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced key never lands in a log.
 */
export const __Name__OptionsSchema = v.object(
  {
    apiKey: v.pipe(v.string(API_KEY), v.regex(/^[\x21-\x7e]+$/, API_KEY)),
    sender: v.optional(v.pipe(v.string(SENDER), v.regex(/^[A-Za-z0-9+]{1,15}$/, SENDER))),
    ...ProviderHttpOptionEntries,
  },
  'options: expected an object with apiKey',
);

/** Options after validation, with defaults filled in. */
export interface Resolved__Name__Options extends ResolvedProviderHttpOptions {
  apiKey: string;
  sender: string | undefined;
}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolve__Name__Options(input: __Name__ProviderOptions): Resolved__Name__Options {
  const options = resolveProviderOptions({ id: '__id__', name: '__Name__' }, __Name__OptionsSchema, input);
  return {
    ...resolveHttpOptions(options, __ID___DEFAULT_BASE_URL),
    apiKey: options.apiKey,
    sender: options.sender,
  };
}
