import type { VendorErrorRule } from '@otpkit/core/http';

/**
 * Vonage's error codes (the `code` of an error reply) and how otpkit classifies them. HTTP 401/403,
 * 429 and 5xx are classified by status before this table is read; a code not listed here falls back to
 * the status (other 4xx → `REJECTED`).
 *
 * TODO: copy the codes from Vonage's API reference, with a comment on where they come from.
 */
export const VONAGE_ERROR_CODES: Readonly<Record<string, VendorErrorRule>> = Object.freeze({
  // Vonage's side failed: try again later.
  INTERNAL_ERROR: { code: 'PROVIDER_UNAVAILABLE' },
  // The account is not set up for this: another vendor may still send it.
  INSUFFICIENT_BALANCE: { code: 'INVALID_CONFIG' },
  // The message itself was refused.
  INVALID_NUMBER: { code: 'REJECTED' },
  BLOCKED_NUMBER: { code: 'REJECTED' },
});
