import type { VendorErrorRule } from '@otpkit/core/http';

/** A row of Telnyx's code table: how otpkit classifies the code, and Telnyx's title for it. */
export interface TelnyxErrorRule extends VendorErrorRule {
  /** Telnyx's title of the code, e.g. `"Blocked due to STOP message"`. */
  title: string;
}

/**
 * Telnyx's error codes (`errors[0].code` of an error reply, text such as `"40300"`) and how otpkit
 * classifies them. The code decides before the status does at 401/403: Telnyx sends the same code with
 * different statuses (40300 with 400, 403, 409 or 422), so an opted-out recipient answered with 403 is
 * `REJECTED`, not `AUTHENTICATION` (failing over would text someone who sent STOP). 429 and 5xx are
 * still classified by status first; a code without a row falls back to the status (other 4xx →
 * `REJECTED`). Sources: Telnyx's API error codes (10001–10017) and messaging error codes (40xxx)
 * references; rows marked "ours" are otpkit's choice where Telnyx documents no class.
 */
export const TELNYX_ERROR_CODES: Readonly<Record<string, TelnyxErrorRule>> = Object.freeze({
  // The credentials: another vendor may still send it.
  '10009': { code: 'AUTHENTICATION', title: 'Authentication failed' },
  '10010': { code: 'AUTHENTICATION', title: 'Authorization failed' },
  // Slow down, then try again (40318: ours).
  '10011': { code: 'RATE_LIMITED', title: 'Too many requests' },
  '40318': { code: 'RATE_LIMITED', title: 'Message queue full' },
  // Telnyx's side failed: try again later.
  '10007': { code: 'PROVIDER_UNAVAILABLE', title: 'Unexpected error' },
  '10008': { code: 'PROVIDER_UNAVAILABLE', title: 'Request timeout' },
  // The account or its messaging profile is not set up to send this (ours): another vendor may.
  '40305': { code: 'INVALID_CONFIG', title: "Invalid 'from' address" },
  '40312': { code: 'INVALID_CONFIG', title: 'Messaging profile disabled' },
  '40314': { code: 'INVALID_CONFIG', title: 'Messaging disabled on account' },
  // The message or its recipient was refused: another vendor would refuse it too.
  '40300': { code: 'REJECTED', title: 'Blocked due to STOP message' },
  '40310': { code: 'REJECTED', title: "Invalid 'to' address" },
  '40309': { code: 'REJECTED', title: 'Destination region not whitelisted' },
  '40001': { code: 'REJECTED', title: 'Not routable' },
  '40012': { code: 'REJECTED', title: 'Invalid destination number' },
  '40013': { code: 'REJECTED', title: 'Invalid source number' },
  '10001': { code: 'REJECTED', title: 'Inactive phone number' },
  '10002': { code: 'REJECTED', title: 'Invalid phone number' },
  '10016': { code: 'REJECTED', title: 'Phone number must be in +E.164 format' },
  // otpkit sent an incomplete or malformed request: a bug to report.
  '10004': { code: 'REJECTED', title: 'Missing required parameter' },
  '10015': { code: 'REJECTED', title: 'Bad Request' },
});
