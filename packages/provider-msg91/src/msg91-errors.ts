import type { VendorErrorRule } from '@otpkit/core/http';

/**
 * Msg91's error codes (the `code` of an error reply) and how otpkit classifies them. HTTP 401/403,
 * 429 and 5xx are classified by status before this table is read; a code not listed here falls back to
 * the status (other 4xx → `REJECTED`).
 *
 * TODO: copy the codes from Msg91's API reference, with a comment on where they come from.
 */
export const MSG91_ERROR_CODES: Readonly<Record<string, VendorErrorRule>> = Object.freeze({
  // Msg91's side failed: try again later.
  INTERNAL_ERROR: { code: 'PROVIDER_UNAVAILABLE' },
  // The account is not set up for this: another vendor may still send it.
  INSUFFICIENT_BALANCE: { code: 'INVALID_CONFIG' },
  // The message itself was refused.
  INVALID_NUMBER: { code: 'REJECTED' },
  BLOCKED_NUMBER: { code: 'REJECTED' },
});
