import {
  type DeliveryReport,
  type DeliveryStatus,
  defineDeliveryReportParser,
  isOtpError,
  OtpError,
} from '@otpkit/core';
import { parseVendorTime, pickField, reportFromFields, webhookFields } from '@otpkit/core/http';

const PROVIDER = 'msg91';
const statuses = (status: DeliveryStatus, names: string) =>
  Object.fromEntries(names.split(' ').map((name) => [name, status]));

/**
 * MSG91's delivery statuses, lower-cased, and what they mean: the numeric `status` of its webhooks
 * (1 delivered, 2 failed, 9 NDNC, 16 and 25 rejected, 17 blocked number; 8, submitted, is inferred),
 * and the words of its `desc` and of the new webhook. Anything else is `unknown` (the raw status is kept).
 */
export const MSG91_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  ...statuses('delivered', '1 delivered'),
  ...statuses('undelivered', '2 9 16 17 25 failed undelivered rejected ndnc blocked'),
  ...statuses('pending', '8 submitted sent pending queued'),
});

/** MSG91's report times (`2024-05-22 10:06:20`) carry no zone: India's, +05:30, is taken (inferred). */
export const MSG91_REPORT_TIME_ZONE = '+05:30';

const SPEC = {
  provider: PROVIDER,
  messageId: ['requestId', 'request_id', 'requestid'],
  status: ['status', 'desc', 'description', 'event'],
  statuses: MSG91_DELIVERY_STATUSES,
  to: ['number', 'telNum', 'mobile'],
  errorCode: ['failedReason', 'failureReason'],
  expected: 'an MSG91 delivery report with a requestId',
} as const;

type Entry = Record<string, unknown>;
const isEntry = (value: unknown): value is Entry =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every report in what MSG91's webhook brought, in order: the legacy form (v2: a `data` field holding
 * a JSON array of requests, each with its `report` array; as `URLSearchParams`, a form string or the
 * parsed form), the flat JSON of v3 and of "Webhook (New)", and v4's array of `{ data: [...], event }`.
 * A payload without a request id, or with none at all, is `INVALID_INPUT`.
 */
export const parseMsg91DeliveryReports = (payload: unknown): DeliveryReport[] =>
  readEntries(payload).map(parseEntry);

/** The first report in what MSG91's webhook brought (see `parseMsg91DeliveryReports`). */
export const parseMsg91DeliveryReport = (payload: unknown): DeliveryReport =>
  parseEntry(readEntries(payload)[0]);

const parseEntry = defineDeliveryReportParser(PROVIDER, (entry) => toReport(entry as Entry));

/** The entries of a payload; whatever reading it throws (a getter, a Proxy) is `INVALID_INPUT`. */
function readEntries(payload: unknown): Entry[] {
  try {
    const entries = entriesOf(payload);
    if (entries.length > 0) return entries;
  } catch (error) {
    throw isOtpError(error) ? error : invalid('the payload could not be read');
  }
  throw invalid('got no report');
}

function entriesOf(payload: unknown): Entry[] {
  if (typeof payload === 'string') {
    const text = payload.trim();
    payload = /^[[{]/.test(text) ? parseJson(text) : new URLSearchParams(text);
  }
  if (payload instanceof URLSearchParams || payload instanceof Map) {
    const data: unknown = payload.get('data');
    if (typeof data !== 'string') return [Object.fromEntries(payload as Iterable<[string, unknown]>)];
    payload = { data };
  }
  if (Array.isArray(payload)) return payload.flatMap(expand);
  if (!isEntry(payload)) throw invalid('expected an object, a form or JSON text');
  // The legacy webhook: one form field, `data`, holding a JSON array (or that array already parsed).
  if (typeof payload.data === 'string') return entriesOf(parseJson(payload.data));
  return expand(payload);
}

/** One request's entries: its `report` array (v2) or `data` array (v4), each with the request's fields. */
function expand(item: unknown): Entry[] {
  if (!isEntry(item)) throw invalid('expected each entry to be an object');
  const { report, data, ...request } = item;
  const parts = Array.isArray(report) ? report : Array.isArray(data) ? data : undefined;
  if (parts === undefined) return [item];
  return parts.map((part) => {
    if (!isEntry(part)) throw invalid('expected each report to be an object');
    return { ...request, ...part };
  });
}

function toReport(entry: Entry): DeliveryReport {
  const fields = webhookFields(entry, PROVIDER, 'an MSG91 delivery report');
  const time = parseVendorTime(pickField(fields, ['date', 'deliveryTime', 'ts']), MSG91_REPORT_TIME_ZONE);
  return reportFromFields(fields, SPEC, time ?? new Date());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid('got unreadable JSON');
  }
}

const invalid = (what: string) =>
  new OtpError('INVALID_INPUT', `msg91: expected an MSG91 delivery report: ${what}`, { provider: PROVIDER });
