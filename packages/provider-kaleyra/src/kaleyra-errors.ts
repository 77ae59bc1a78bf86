import type { VendorErrorRule } from '@otpkit/core/http';

/**
 * Kaleyra's error codes (the `code` of an error reply) and how otpkit classifies them. From the seed
 * (E404) and Kaleyra's older API reference, whose code space the current API shares. HTTP 401/403, 429
 * and 5xx are classified by status before this table is read; a code not listed here falls back to
 * the status (other 4xx → `REJECTED`). Kaleyra's authentication error codes are undocumented: `E401`
 * means a body that is too long, not a bad key.
 */
export const KALEYRA_ERROR_CODES: Readonly<Record<string, VendorErrorRule>> = Object.freeze({
  // Kaleyra's side failed: try again later.
  E103: { code: 'PROVIDER_UNAVAILABLE' },
  E403: { code: 'PROVIDER_UNAVAILABLE' },
  // The account is not set up for this route: another vendor may still send it.
  E102: { code: 'INVALID_CONFIG' },
  E623: { code: 'INVALID_CONFIG' },
  E624: { code: 'INVALID_CONFIG' },
  E625: { code: 'INVALID_CONFIG' },
  // The message itself was refused.
  E400: { code: 'REJECTED' },
  E401: { code: 'REJECTED' },
  E404: { code: 'REJECTED' },
  E405: { code: 'REJECTED' },
  E406: { code: 'REJECTED' },
  E407: { code: 'REJECTED' },
  E408: { code: 'REJECTED' },
  E409: { code: 'REJECTED' },
  E410: { code: 'REJECTED' },
  E411: { code: 'REJECTED' },
  E412: { code: 'REJECTED' },
  E413: { code: 'REJECTED' },
  E600: { code: 'REJECTED' },
  E601: { code: 'REJECTED' },
  E602: { code: 'REJECTED' },
  E604: { code: 'REJECTED' },
  E605: { code: 'REJECTED' },
  E606: { code: 'REJECTED' },
  E607: { code: 'REJECTED' },
  E608: { code: 'REJECTED' },
  E609: { code: 'REJECTED' },
  E610: { code: 'REJECTED' },
  E611: { code: 'REJECTED' },
  E615: { code: 'REJECTED' },
  E616: { code: 'REJECTED' },
  E617: { code: 'REJECTED' },
  E618: { code: 'REJECTED' },
  E619: { code: 'REJECTED' },
  E621: { code: 'REJECTED' },
  E622: { code: 'REJECTED' },
  E910: { code: 'REJECTED' },
});
