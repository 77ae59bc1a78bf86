import type { VendorErrorRule } from '@otpkit/core/http';

/** A row of Vonage's status table: how otpkit classifies the status, and Vonage's name for it. */
export interface VonageStatusRule extends VendorErrorRule {
  /** Vonage's name of the status, e.g. `"Throttled"`. */
  name: string;
}

/**
 * Vonage's non-zero `status` values of the SMS API (the `status` of each `messages[]` entry of a
 * reply, which comes with HTTP 200) and how otpkit classifies them. From the OpenAPI spec's `x-errors`
 * (`Nexmo/api-specification`, `definitions/sms.yml`), Vonage's SMS troubleshooting guide and the Node
 * SDK's `SMSStatus` enum. `"0"` is success and has no row. Codes 13, 16–21, 24–28 and 30–31 appear in
 * none of those sources; any status without a row is `REJECTED` (Vonage's `error-text` is kept in the
 * message, the status in `providerCode`). HTTP 401/403, 429 and 5xx are classified by status before
 * this table is read.
 */
export const VONAGE_ERROR_CODES: Readonly<Record<string, VonageStatusRule>> = Object.freeze({
  // Slow down, then try again.
  '1': { code: 'RATE_LIMITED', name: 'Throttled' },
  '10': { code: 'RATE_LIMITED', name: 'Too Many Existing Binds' },
  // Vonage's side failed: try again later.
  '5': { code: 'PROVIDER_UNAVAILABLE', name: 'Internal Error' },
  // The account or its credentials: another vendor may still send it.
  '4': { code: 'AUTHENTICATION', name: 'Invalid Credentials' },
  '8': { code: 'AUTHENTICATION', name: 'Partner Account Barred' },
  '11': { code: 'AUTHENTICATION', name: 'Account Not Enabled For HTTP' },
  '14': { code: 'AUTHENTICATION', name: 'Invalid Signature' },
  '32': { code: 'AUTHENTICATION', name: 'Signature And API Secret Disallowed' },
  // The message was refused (2 means otpkit sent an incomplete request: a bug to report).
  '2': { code: 'REJECTED', name: 'Missing Parameters' },
  '3': { code: 'REJECTED', name: 'Invalid Parameters' },
  '6': { code: 'REJECTED', name: 'Invalid Message' },
  '7': { code: 'REJECTED', name: 'Number Barred' },
  // Out of credit: no class fits well; REJECTED ends the send instead of failing over (our choice).
  '9': { code: 'REJECTED', name: 'Partner Quota Violation' },
  '12': { code: 'REJECTED', name: 'Message Too Long' },
  '15': { code: 'REJECTED', name: 'Invalid Sender Address' },
  '22': { code: 'REJECTED', name: 'Invalid Network Code' },
  '23': { code: 'REJECTED', name: 'Invalid Callback URL' },
  '29': { code: 'REJECTED', name: 'Non-Whitelisted Destination' },
  '33': { code: 'REJECTED', name: 'Number De-activated' },
});
