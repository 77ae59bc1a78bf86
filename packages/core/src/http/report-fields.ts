import { OtpError } from '../errors.js';
import type { DeliveryReport, DeliveryStatus, OtpProvider } from '../types.js';

// The common part of every vendor's delivery-report parser: which fields hold the id, the status, the
// number and the error, and what each vendor status means.

/** Where a vendor's delivery report keeps its common fields, and what its statuses mean. */
export interface ReportFieldSpec {
  /** Provider id, on the report and on errors. */
  provider: string;
  /** Fields that may hold the message id, tried in order. A report without one is `INVALID_INPUT`. */
  messageId: readonly string[];
  /** Fields that may hold the vendor's status, tried in order. */
  status: readonly string[];
  /** Each vendor status, trimmed and lower-cased, and what it means; any other status is `unknown`. */
  statuses: Readonly<Record<string, DeliveryStatus>>;
  /** Fields that may hold the recipient; a number of digits only gets its `+`. @default none */
  to?: readonly string[];
  /** Fields that may hold the vendor's error code. @default none */
  errorCode?: readonly string[];
  /** Error codes that mean "no error" (Vonage's `"0"`), left out of the report. @default none */
  noError?: readonly string[];
  /**
   * What the error names when there is no message id, after "`provider`: expected ".
   * @default "a delivery report with a message id (<the messageId fields>)"
   */
  expected?: string;
}

/** The first of `names` that `fields` holds. */
export function pickField(fields: ReadonlyMap<string, string>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = fields.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** What a vendor status means by `statuses`: matched trimmed and without regard to case, else `unknown`. */
export function deliveryStatusOf(
  statuses: Readonly<Record<string, DeliveryStatus>>,
  status: string,
): DeliveryStatus {
  const key = status.trim().toLowerCase();
  return Object.hasOwn(statuses, key) ? statuses[key]! : 'unknown';
}

/**
 * The `DeliveryReport` in a webhook's fields (from `webhookFields`): the message id, the status as the
 * vendor wrote it and what it means, the recipient and the error code when present, dated `at`
 * (the vendor's own time when it gives one; otherwise now). Vendor-specific fields stay the vendor's
 * parser's job.
 */
export function reportFromFields(
  fields: ReadonlyMap<string, string>,
  spec: ReportFieldSpec,
  at: Date = new Date(),
): DeliveryReport {
  const { provider } = spec;
  const messageId = pickField(fields, spec.messageId);
  if (messageId === undefined) {
    const expected = spec.expected ?? `a delivery report with a message id (${spec.messageId.join(', ')})`;
    throw new OtpError('INVALID_INPUT', `${provider}: expected ${expected}`, { provider });
  }
  const providerStatus = pickField(fields, spec.status) ?? '';
  const report: DeliveryReport = {
    provider,
    messageId,
    status: deliveryStatusOf(spec.statuses, providerStatus),
    providerStatus,
    at,
  };
  const to = spec.to === undefined ? undefined : pickField(fields, spec.to);
  if (to !== undefined) report.to = /^\d+$/.test(to) ? `+${to}` : to;
  const errorCode = spec.errorCode === undefined ? undefined : pickField(fields, spec.errorCode);
  if (errorCode !== undefined && !spec.noError?.includes(errorCode)) report.errorCode = errorCode;
  return report;
}

/** The `names` fields present in `fields`, each under its own key (a vendor's extras on its report). */
export function pickFields<K extends string>(
  fields: ReadonlyMap<string, string>,
  names: Readonly<Record<K, string>>,
): Partial<Record<K, string>> {
  const picked: Partial<Record<K, string>> = {};
  for (const key of Object.keys(names) as K[]) {
    const value = fields.get(names[key]);
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

/** A vendor's provider: an `OtpProvider` with its id and the parser of its delivery reports. */
export interface ReportingProvider<Id extends string, R extends DeliveryReport = DeliveryReport>
  extends OtpProvider {
  readonly id: Id;
  /** Turns the vendor's delivery-report callback into a `DeliveryReport`; `INVALID_INPUT` when it is none. */
  parseDeliveryReport(payload: unknown): R;
}
