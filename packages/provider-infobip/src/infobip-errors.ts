import type { VendorErrorRule } from '@otpkit/core/http';

/**
 * Infobip's error codes and how otpkit classifies them: the `errorCode` of a v3 error reply
 * (`E400`, ...), the `messageId` of a legacy `requestError.serviceException`, and the status `name` of
 * a message that an accepted reply (HTTP 200) put in the `REJECTED` group. HTTP 401/403, 429 and 5xx are
 * classified by status first, whatever the code; any code not listed here is `REJECTED`, so every
 * `REJECTED_*` name is (out of credit too, as for Vonage: our choice).
 */
export const INFOBIP_ERROR_CODES: Readonly<Record<string, VendorErrorRule>> = Object.freeze({
  // A 4xx that names the credentials or throttling in its body.
  E401: { code: 'AUTHENTICATION' },
  UNAUTHORIZED: { code: 'AUTHENTICATION' },
  E403: { code: 'AUTHENTICATION' },
  E429: { code: 'RATE_LIMITED' },
  TOO_MANY_REQUESTS: { code: 'RATE_LIMITED' },
  // The request or the message refused.
  E400: { code: 'REJECTED' },
  BAD_REQUEST: { code: 'REJECTED' },
  REJECTED_NOT_ENOUGH_CREDITS: { code: 'REJECTED' },
  REJECTED_DESTINATION: { code: 'REJECTED' },
});
