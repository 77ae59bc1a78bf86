import {
  ProviderHttpOptionEntries,
  type ProviderHttpOptions,
  type ResolvedProviderHttpOptions,
  resolveHttpOptions,
  resolveProviderOptions,
} from '@otpkit/core/http';
import * as v from 'valibot';

/** Msg91's API host. TODO: the vendor's real host (and its regions, if it has several). */
export const MSG91_DEFAULT_BASE_URL = 'https://api.msg91.example';

/**
 * Options of `createMsg91Provider`: Msg91's own, beside the ones every provider takes
 * (`baseUrl`, `timeoutMs`, `maxResponseBytes`, `fetch`).
 */
export interface Msg91ProviderOptions extends ProviderHttpOptions {
  /** API key from the Msg91 console; sent as a bearer token, never logged. Required. */
  apiKey: string;
  /** Default sender id; a message's own `sender` wins. Default: none sent, so Msg91 uses the account's. */
  sender?: string;
  /**
   * API host, for proxies and tests (no `user:password@`, `?query` or `#fragment`).
   * @default "https://api.msg91.example"
   */
  baseUrl?: string;
}

const API_KEY = 'apiKey: expected a non-empty string without spaces (your Msg91 API key)';
const SENDER = 'sender: expected a sender id of 1 to 15 letters or digits';

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced key never lands in a log.
 */
export const Msg91OptionsSchema = v.object(
  {
    apiKey: v.pipe(v.string(API_KEY), v.regex(/^[\x21-\x7e]+$/, API_KEY)),
    sender: v.optional(v.pipe(v.string(SENDER), v.regex(/^[A-Za-z0-9+]{1,15}$/, SENDER))),
    ...ProviderHttpOptionEntries,
  },
  'options: expected an object with apiKey',
);

/** Options after validation, with defaults filled in. */
export interface ResolvedMsg91Options extends ResolvedProviderHttpOptions {
  apiKey: string;
  sender: string | undefined;
}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveMsg91Options(input: Msg91ProviderOptions): ResolvedMsg91Options {
  const options = resolveProviderOptions({ id: 'msg91', name: 'Msg91' }, Msg91OptionsSchema, input);
  return {
    ...resolveHttpOptions(options, MSG91_DEFAULT_BASE_URL),
    apiKey: options.apiKey,
    sender: options.sender,
  };
}
