/** Every way a send can fail. See the errors reference in `docs/reference/errors.md`. */
export type OtpErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_CONFIG'
  | 'AUTHENTICATION'
  | 'REJECTED'
  | 'RATE_LIMITED'
  | 'PROVIDER_UNAVAILABLE'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'INVALID_RESPONSE'
  | 'ABORTED'
  | 'QUEUE_FULL'
  | 'CLOSED';

/** Whether a code is worth retrying, unless the error says otherwise. */
export const RETRYABLE_BY_DEFAULT: Readonly<Record<OtpErrorCode, boolean>> = Object.freeze({
  INVALID_INPUT: false,
  INVALID_CONFIG: false,
  AUTHENTICATION: false,
  REJECTED: false,
  RATE_LIMITED: true,
  PROVIDER_UNAVAILABLE: true,
  NETWORK: true,
  TIMEOUT: true,
  INVALID_RESPONSE: false,
  ABORTED: false,
  QUEUE_FULL: false,
  CLOSED: false,
});

/** All error codes, in the order of the reference table. */
export const OTP_ERROR_CODES = Object.freeze(Object.keys(RETRYABLE_BY_DEFAULT)) as readonly OtpErrorCode[];

/** One problem found while validating input or configuration. */
export interface OtpIssue {
  /** Dotted path of the field, e.g. `"to"` or `"providers.kaleyra.apiKey"`. */
  path: string;
  /** What was expected. Never contains the value when it may be secret. */
  message: string;
}

export interface OtpErrorOptions {
  /** Overrides the code's default (see `RETRYABLE_BY_DEFAULT`). */
  retryable?: boolean;
  /** Id of the provider that failed. */
  provider?: string;
  /** The vendor's own error code, verbatim (e.g. Kaleyra `"E404"`). */
  providerCode?: string;
  /** HTTP status of the vendor's reply. */
  status?: number;
  /** How long the vendor asked us to wait before trying again. */
  retryAfterMs?: number;
  /** Every problem found, for `INVALID_INPUT` and `INVALID_CONFIG`. */
  issues?: readonly OtpIssue[];
  /** The underlying error. Never a request or a body. */
  cause?: unknown;
}

/**
 * The one error type of otpkit. Messages name the field or the vendor's reason, never a credential or
 * the message body.
 */
export class OtpError extends Error {
  override readonly name = 'OtpError' as const;
  readonly code: OtpErrorCode;
  readonly retryable: boolean;
  readonly provider?: string;
  readonly providerCode?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly issues?: readonly OtpIssue[];

  constructor(code: OtpErrorCode, message: string, options: OtpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[code];
    if (options.provider !== undefined) this.provider = options.provider;
    if (options.providerCode !== undefined) this.providerCode = options.providerCode;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.issues !== undefined) this.issues = options.issues;
  }

  /** A plain, log-safe form: no stack, no cause. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      provider: this.provider,
      providerCode: this.providerCode,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      issues: this.issues,
    };
  }
}

/**
 * True for an `OtpError`, also one created by another copy of `@otpkit/core`. With `code`, true only
 * for that code.
 */
export function isOtpError(value: unknown, code?: OtpErrorCode): value is OtpError {
  const isOne =
    value instanceof OtpError ||
    (value instanceof Error &&
      value.name === 'OtpError' &&
      typeof (value as { code?: unknown }).code === 'string' &&
      typeof (value as { retryable?: unknown }).retryable === 'boolean');
  return isOne && (code === undefined || (value as OtpError).code === code);
}
