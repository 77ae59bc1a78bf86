import { type DeliveryReport, type Dispatcher, E164_PATTERN, OtpError } from '@otpkit/core';

/** What `verifier.report()` resolves with. */
export interface ReportResult {
  /** True when the receipt is of the latest send of a pending verification (in this store). */
  matched: boolean;
  /** True when it started the verification's one resend through the next provider. */
  resending: boolean;
}

const STATUSES = new Set(['delivered', 'undelivered', 'pending', 'unknown']);

/**
 * A delivery report as `verifier.report()` takes it (what a provider's `parseDeliveryReport` returns):
 * `INVALID_INPUT` naming the field otherwise.
 */
export function checkReport(report: DeliveryReport): DeliveryReport {
  const invalid = (path: string, message: string) =>
    new OtpError('INVALID_INPUT', `report.${path}: ${message}`, {
      issues: [{ path: `report.${path}`, message }],
    });
  if (typeof report !== 'object' || report === null) {
    throw invalid('', 'expected a DeliveryReport (from parseDeliveryReport)');
  }
  if (typeof report.provider !== 'string' || report.provider === '') {
    throw invalid('provider', 'expected a provider id');
  }
  if (typeof report.messageId !== 'string' || report.messageId === '') {
    throw invalid('messageId', 'expected the vendor message id');
  }
  if (!STATUSES.has(report.status)) {
    throw invalid('status', 'expected delivered, undelivered, pending or unknown');
  }
  return report;
}

/** The report's recipient when it is a number a verification can be kept under (E.164). */
export function recipientOf(report: DeliveryReport): string | undefined {
  return typeof report.to === 'string' && E164_PATTERN.test(report.to) ? report.to : undefined;
}

/** The provider after `previous` among those serving `to`, wrapping round; none with one provider. */
export function nextProvider(
  dispatcher: Dispatcher,
  to: string,
  previous: string | undefined,
): string | undefined {
  if (previous === undefined) return undefined;
  const providers = dispatcher.providersFor(to);
  const index = providers.indexOf(previous);
  if (providers.length < 2 || index < 0) return undefined;
  return providers[(index + 1) % providers.length];
}
