import type { VendorErrorRule } from '@otpkit/core/http';

/**
 * How otpkit classifies Plivo's failed replies. Plivo's error body, `{ "api_id": "...", "error":
 * "..." }`, carries no code: its official SDKs tell failures apart by the HTTP status and the
 * endpoint. The keys below are otpkit's labels for the ones the shared order would get wrong
 * (`PLIVO_STATUS_LABELS`), and for a 2xx that queued nothing:
 * - `geo-permission`: HTTP 403 to `POST /Message/`, which Plivo's SDKs raise as `GeoPermissionError`
 *   (the destination country is not enabled in the account's Geo Permissions). The message is refused,
 *   the credentials are fine: `REJECTED`, not `AUTHENTICATION`.
 * - `resource-not-found`: HTTP 404, an Auth ID in the path that is no account: a credentials problem
 *   (inferred), so `AUTHENTICATION`, and the next vendor is tried.
 * - `invalid-number`: a 2xx whose `invalid_number` lists the destination and whose `message_uuid` is
 *   empty: `REJECTED`.
 * Everything else keeps the shared order: 401 → `AUTHENTICATION`, 429 → `RATE_LIMITED`, 5xx →
 * `PROVIDER_UNAVAILABLE`, other 4xx (400 invalid parameters, "Insufficient Credit"...) → `REJECTED`.
 */
export const PLIVO_ERROR_CODES: Readonly<Record<string, VendorErrorRule>> = Object.freeze({
  'geo-permission': { code: 'REJECTED' },
  'resource-not-found': { code: 'AUTHENTICATION' },
  'invalid-number': { code: 'REJECTED' },
});

/** The HTTP statuses of a send that otpkit labels, and their label (see `PLIVO_ERROR_CODES`). */
export const PLIVO_STATUS_LABELS: Readonly<Record<number, string>> = Object.freeze({
  403: 'geo-permission',
  404: 'resource-not-found',
});
