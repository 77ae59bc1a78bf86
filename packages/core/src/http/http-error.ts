import { OtpError, type OtpErrorCode } from '../errors.js';
import { redact, safeVendorCode } from './redact.js';
import { parseRetryAfter } from './retry-after.js';

/** One row of a vendor's error-code table. */
export interface VendorErrorRule {
  code: OtpErrorCode;
  /** Overrides the code's default retryable flag. */
  retryable?: boolean;
}

/** How `httpError` words a failure that a row of the vendor's table classifies, by the row's code. */
const RULE_SUMMARIES: Partial<Record<OtpErrorCode, string>> = {
  AUTHENTICATION: 'the vendor refused the credentials',
  RATE_LIMITED: 'the vendor asked to slow down',
  PROVIDER_UNAVAILABLE: 'the vendor failed',
};

export interface HttpErrorInput {
  provider: string;
  status: number;
  headers?: Headers;
  /** Whether the reply body was JSON at all. */
  isJson: boolean;
  /** The vendor's own error code, when the body had one. */
  vendorCode?: string;
  /** The vendor's own error text, when the body had one. It is redacted and shortened. */
  vendorMessage?: string;
  /** The vendor's code table. */
  table?: Readonly<Record<string, VendorErrorRule>>;
  /** Values that must never appear in the message (keys, tokens, the body). */
  secrets?: readonly (string | undefined)[];
}

/**
 * Classifies a vendor's failed reply, in the order of the error model: 401/403 → `AUTHENTICATION`,
 * 429 → `RATE_LIMITED` (with `Retry-After`), 5xx → `PROVIDER_UNAVAILABLE`, whatever the body; then a
 * body that is not JSON → `INVALID_RESPONSE`; then the vendor's code table; then any other status →
 * `REJECTED`. The vendor code is kept in `providerCode`, the vendor's text in the message (redacted).
 */
export function httpError(input: HttpErrorInput): OtpError {
  const { provider, status, vendorCode } = input;
  const secrets = input.secrets ?? [];
  const retryAfterMs = parseRetryAfter(input.headers?.get('retry-after'));
  const providerCode = vendorCode === undefined ? undefined : safeVendorCode(vendorCode, secrets);
  const base = {
    provider,
    status,
    ...(providerCode === undefined ? {} : { providerCode }),
  };
  const say = (summary: string) => {
    const text = input.vendorMessage ? redact(input.vendorMessage, secrets).slice(0, 300) : '';
    const detail = [providerCode, `HTTP ${status}`].filter(Boolean).join(', ');
    return `${provider}: ${summary}${text ? `: ${text}` : ''} (${detail})`;
  };

  if (status === 401 || status === 403) {
    return new OtpError('AUTHENTICATION', say('the vendor refused the credentials'), base);
  }
  if (status === 429) {
    return new OtpError('RATE_LIMITED', say('the vendor asked to slow down'), {
      ...base,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500) {
    return new OtpError('PROVIDER_UNAVAILABLE', say('the vendor failed'), {
      ...base,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (!input.isJson) {
    return new OtpError('INVALID_RESPONSE', say('the vendor replied with a body that is not JSON'), base);
  }
  // Own rows only: the code comes from the vendor's body, and "constructor" or "__proto__" is no row.
  const rule =
    vendorCode !== undefined && input.table && Object.hasOwn(input.table, vendorCode)
      ? input.table[vendorCode]
      : undefined;
  if (rule) {
    // A vendor that reports credentials or throttling in its body (some do so inside a 2xx) gets the
    // same wording as the status would.
    return new OtpError(rule.code, say(RULE_SUMMARIES[rule.code] ?? 'the vendor refused the message'), {
      ...base,
      ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }),
    });
  }
  return new OtpError('REJECTED', say('the vendor refused the message'), base);
}
