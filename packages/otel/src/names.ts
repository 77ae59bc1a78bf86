/** The instrumentation scope: the tracer's and the meter's name. */
export const INSTRUMENTATION_NAME = '@otpkit/otel';

/** Span names. */
export const SPANS = Object.freeze({
  /** One send, from `queued` to `sent` or `failed`. */
  send: 'otpkit.send',
  /** One call to a provider, a child of `otpkit.send`; an instrumented `fetch` nests under it. */
  attempt: 'otpkit.attempt',
  /** `verifier.start()`; the send it makes is its child. */
  verifyStart: 'otpkit.verify.start',
  /** `verifier.check()`. */
  verifyCheck: 'otpkit.verify.check',
});

/** Attribute keys. None carries a code, a message body or a whole phone number. */
export const ATTRIBUTES = Object.freeze({
  provider: 'otpkit.provider',
  outcome: 'otpkit.outcome',
  errorCode: 'otpkit.error.code',
  /** The vendor's own error code (`E413`, `21211`), when it gave one. */
  providerCode: 'otpkit.error.provider_code',
  /** Semantic convention `error.type`, set to the `OtpError` code. */
  errorType: 'error.type',
  dispatchId: 'otpkit.dispatch.id',
  /** The country calling code (`+91`), or a prefix of the configured length. */
  prefix: 'otpkit.destination.prefix',
  attempt: 'otpkit.attempt',
  attempts: 'otpkit.attempts',
  unconfirmedAttempts: 'otpkit.unconfirmed_attempts',
  queueWaitMs: 'otpkit.queue.wait_ms',
  delayMs: 'otpkit.retry.delay_ms',
  nextProvider: 'otpkit.failover.next_provider',
  messageId: 'otpkit.message_id',
  breakerState: 'otpkit.breaker.state',
  checkStatus: 'otpkit.verify.status',
  refusalReason: 'otpkit.verify.refusal_reason',
  resend: 'otpkit.verify.resend',
  testNumber: 'otpkit.verify.test_number',
  sends: 'otpkit.verify.sends',
});

/** Span event names. */
export const SPAN_EVENTS = Object.freeze({
  dequeued: 'otpkit.dequeued',
  retrying: 'otpkit.retrying',
  failover: 'otpkit.failover',
});

/** Metric names. */
export const METRICS = Object.freeze({
  sends: 'otpkit.sends',
  sendDuration: 'otpkit.send.duration',
  sendAttempts: 'otpkit.send.attempts',
  attempts: 'otpkit.attempts',
  retries: 'otpkit.retries',
  failovers: 'otpkit.failovers',
  breakerState: 'otpkit.breaker.state',
  queueWaiting: 'otpkit.queue.waiting',
  queueInFlight: 'otpkit.queue.in_flight',
  verificationStarts: 'otpkit.verification.starts',
  verificationChecks: 'otpkit.verification.checks',
  verificationRefusals: 'otpkit.verification.refusals',
  conversionRate: 'otpkit.verification.conversion_rate',
});
