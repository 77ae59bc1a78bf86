/**
 * Every way a send (or a verification's store) can fail. See the errors reference in
 * `docs/reference/errors.md`.
 */
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
  | 'CLOSED'
  | 'STORE_UNAVAILABLE';

/** What the dispatcher does with an error of a code, unless the error itself says otherwise. */
export interface OtpErrorCodeBehaviour {
  /** Worth retrying on the same provider (the error's own `retryable` wins). */
  retryable: boolean;
  /** Counts against the provider's circuit breaker: the vendor could not be reached, was slow, or failed. */
  breaker: boolean;
  /** The next provider in the list is tried once the current one's retries are spent. */
  failover: boolean;
  /** In the default `failFastOn`: failed over at once, without retrying, when another provider is available. */
  failFast: boolean;
}

const row = (retryable: boolean, breaker: boolean, failover: boolean, failFast = false) =>
  Object.freeze({ retryable, breaker, failover, failFast });

/**
 * The one table of what each error code does, in the order of the reference table. `RETRYABLE_BY_DEFAULT`,
 * `BREAKER_CODES`, `FAILOVER_CODES` and the default `failFastOn` are read from it.
 */
export const OTP_ERROR_CODE_BEHAVIOUR: Readonly<Record<OtpErrorCode, OtpErrorCodeBehaviour>> = Object.freeze({
  //                     retryable, breaker, failover, failFast
  INVALID_INPUT: row(false, false, false),
  INVALID_CONFIG: row(false, false, true),
  AUTHENTICATION: row(false, false, true),
  REJECTED: row(false, false, false),
  RATE_LIMITED: row(true, false, true),
  PROVIDER_UNAVAILABLE: row(true, true, true),
  NETWORK: row(true, true, true, true),
  TIMEOUT: row(true, true, true, true),
  INVALID_RESPONSE: row(false, false, true),
  ABORTED: row(false, false, false),
  QUEUE_FULL: row(false, false, false),
  CLOSED: row(false, false, false),
  // A verification store (Redis) that failed or did not answer in time: not a vendor's fault.
  STORE_UNAVAILABLE: row(true, false, false),
});

/** All error codes, in the order of the reference table. */
export const OTP_ERROR_CODES = Object.freeze(
  Object.keys(OTP_ERROR_CODE_BEHAVIOUR),
) as readonly OtpErrorCode[];

/** The codes whose behaviour has this flag set. */
export function codesWhere(flag: keyof OtpErrorCodeBehaviour): OtpErrorCode[] {
  return OTP_ERROR_CODES.filter((code) => OTP_ERROR_CODE_BEHAVIOUR[code][flag]);
}

/** Codes after which the next provider in the list is tried (once the current one's retries are spent). */
export const FAILOVER_CODES: ReadonlySet<OtpErrorCode> = new Set(codesWhere('failover'));

/** Whether a code is worth retrying, unless the error says otherwise (from `OTP_ERROR_CODE_BEHAVIOUR`). */
export const RETRYABLE_BY_DEFAULT: Readonly<Record<OtpErrorCode, boolean>> = Object.freeze(
  Object.fromEntries(
    OTP_ERROR_CODES.map((code) => [code, OTP_ERROR_CODE_BEHAVIOUR[code].retryable]),
  ) as Record<OtpErrorCode, boolean>,
);

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
