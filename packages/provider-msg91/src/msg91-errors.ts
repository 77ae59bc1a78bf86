import type { VendorErrorRule } from '@otpkit/core/http';

/**
 * MSG91's error codes and how otpkit classifies them. MSG91 answers most failures with HTTP 200 and
 * `{ "type": "error", "message": "..." }`; some replies add a numeric `code` (the codes below are
 * MSG91's documented API error codes: 418 from its API-security help page, the others from its
 * legacy API's error list). A reply without a code is read by its text: `invalid-authkey` and
 * `ip-not-whitelisted` are otpkit's labels for MSG91's texts about the auth key and the IP allow-list
 * (see `msg91ErrorLabel`). Anything else that MSG91 refuses is `REJECTED`, its text kept in the
 * message. HTTP 401/403, 429 and 5xx are classified by status before this table is read.
 */
export const MSG91_ERROR_CODES: Readonly<Record<string, VendorErrorRule>> = Object.freeze({
  // The credentials or the account: another vendor may still send it.
  '106': { code: 'AUTHENTICATION' }, // missing authentication key
  '207': { code: 'AUTHENTICATION' }, // invalid authentication key
  '208': { code: 'AUTHENTICATION' }, // IP is blacklisted
  '302': { code: 'AUTHENTICATION' }, // expired user account
  '303': { code: 'AUTHENTICATION' }, // banned user account
  '418': { code: 'AUTHENTICATION' }, // API security on, and this IP is not whitelisted
  'invalid-authkey': { code: 'AUTHENTICATION' },
  'ip-not-whitelisted': { code: 'AUTHENTICATION' },
  // The message was refused.
  '101': { code: 'REJECTED' }, // missing mobile number
  '202': { code: 'REJECTED' }, // invalid mobile number
  '203': { code: 'REJECTED' }, // invalid sender id
  // Out of credit: REJECTED ends the send rather than failing over (our choice, as for the others).
  '301': { code: 'REJECTED' }, // insufficient balance
  '310': { code: 'REJECTED' }, // SMS too long
  '311': { code: 'REJECTED' }, // the same request twice within 10 seconds
});

/** otpkit's label for an MSG91 error text that carries no code but names the auth key or the IP allow-list. */
export function msg91ErrorLabel(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (/whitelist/i.test(text)) return 'ip-not-whitelisted';
  if (/auth\s*key|authenticat/i.test(text)) return 'invalid-authkey';
  return undefined;
}
