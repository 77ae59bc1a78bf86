import type { VendorErrorRule } from '@otpkit/core/http';

/**
 * Sinch's error codes (the `code` of an `{ code, text }` error reply of the SMS REST API) and how
 * otpkit classifies them, from Sinch's status-codes reference and the SDK's `ErrorResponseObj`. Read
 * code first on a 401/403 (a 403 `unknown_group` is `REJECTED`, not `AUTHENTICATION`); 429 and 5xx
 * are classified by status whatever the code. A code not listed here, with another 4xx, is `REJECTED`;
 * a 401/403 without a listed code is `AUTHENTICATION`.
 */
export const SINCH_ERROR_CODES: Readonly<Record<string, VendorErrorRule>> = Object.freeze({
  // 400: the request itself. `syntax_invalid_json` means otpkit sent bad JSON: a bug to report.
  syntax_invalid_json: { code: 'REJECTED' },
  syntax_invalid_parameter_format: { code: 'REJECTED' },
  syntax_constraint_violation: { code: 'REJECTED' },
  // 403: a group in `to` that Sinch does not know (otpkit sends numbers only).
  unknown_group: { code: 'REJECTED' },
  // 403, the account's setup, not the message: the US campaign does not match the sender, or a
  // delivery report was asked for without a callback URL. Another vendor may still send it.
  unknown_campaign: { code: 'INVALID_CONFIG' },
  missing_callback_url: { code: 'INVALID_CONFIG' },
  // Codes of older SDKs.
  conflict_group_name: { code: 'REJECTED' },
  conflict_send_at: { code: 'REJECTED' },
});
