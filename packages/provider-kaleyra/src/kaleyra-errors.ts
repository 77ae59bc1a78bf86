import type { OtpErrorCode } from '@otpkit/core';
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
  ...rows('PROVIDER_UNAVAILABLE', 'E103 E403'),
  // The account is not set up for this route: another vendor may still send it.
  ...rows('INVALID_CONFIG', 'E102 E623 E624 E625'),
  // The message itself was refused.
  ...rows('REJECTED', 'E400 E401 E404 E405 E406 E407 E408 E409 E410 E411 E412 E413'),
  ...rows('REJECTED', 'E600 E601 E602 E604 E605 E606 E607 E608 E609 E610 E611 E615 E616 E617'),
  ...rows('REJECTED', 'E618 E619 E621 E622 E910'),
});

/** One row per code of a space-separated list, each with the same class. */
function rows(code: OtpErrorCode, codes: string): Record<string, VendorErrorRule> {
  return Object.fromEntries(codes.split(' ').map((vendorCode) => [vendorCode, { code }]));
}
