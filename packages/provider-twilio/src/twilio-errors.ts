import type { VendorErrorRule } from '@otpkit/core/http';

/**
 * Twilio's error codes (the `code` of an error reply, kept as text in `providerCode`) and how otpkit
 * classifies them. From Twilio's error reference (twilio.com/docs/api/errors/<code>). HTTP 401/403, 429
 * and 5xx are classified by status before this table is read; a code not listed here falls back to
 * the status (other 4xx → `REJECTED`). Delivery errors (30xxx) never come back from a send: they arrive
 * in status callbacks as `ErrorCode`, kept verbatim in the report's `errorCode`.
 */
export const TWILIO_ERROR_CODES: Readonly<Record<string, VendorErrorRule>> = Object.freeze({
  // Credentials refused (HTTP 401): wrong SID, token or key, deleted key, suspended account.
  '20003': { code: 'AUTHENTICATION' },
  // The account has no API access (HTTP 403), usually suspended or closed.
  '20403': { code: 'AUTHENTICATION' },
  // Too many concurrent requests (HTTP 429): not processed, safe to retry with backoff.
  '20429': { code: 'RATE_LIMITED' },
  // Twilio's internal error (HTTP 500). Uncertain: the code number is not confirmed.
  '20500': { code: 'PROVIDER_UNAVAILABLE' },
  // The message itself was refused.
  '21211': { code: 'REJECTED' }, // invalid `To` number
  '21604': { code: 'REJECTED' }, // `To` is required
  '21608': { code: 'REJECTED' }, // trial account: `To` is not a verified number
  '21610': { code: 'REJECTED' }, // the recipient replied STOP to this sender: never retry
  '21612': { code: 'REJECTED' }, // `To` cannot be reached from this `From`
  '21614': { code: 'REJECTED' }, // `To` is not a mobile number (landline or malformed)
  '21635': { code: 'REJECTED' }, // `To` is a landline
  // Uncertain: "body longer than 1600 characters" is not confirmed as 21617 (core refuses longer bodies first).
  '21617': { code: 'REJECTED' },
  // Refused because of this account's setup. Classed as refusals (the send ends); make a row
  // INVALID_CONFIG instead to fail over to the next provider.
  '21606': { code: 'REJECTED' }, // `From` is not SMS-capable, or not this account's
  '21609': { code: 'REJECTED' }, // invalid `StatusCallback` URL
  // Uncertain meaning: geo permissions for the destination region are not enabled.
  '21408': { code: 'REJECTED' },
});
