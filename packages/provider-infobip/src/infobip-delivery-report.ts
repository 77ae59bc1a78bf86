import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser, OtpError } from '@otpkit/core';
import {
  parseVendorTime,
  pickFields,
  type ReportFieldSpec,
  reportFromFields,
  valueAt,
  webhookFields,
  webhookJson,
} from '@otpkit/core/http';

const PROVIDER_ID = 'infobip';

/**
 * Infobip's status groups (`status.groupName`), lower-cased, and what they mean. The `DELIVERED` group
 * holds an intermediate status too: only `DELIVERED_TO_HANDSET` is `delivered`,
 * `DELIVERED_TO_OPERATOR` is `pending` (see `parseInfobipDeliveryReport`).
 */
export const INFOBIP_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  accepted: 'pending',
  pending: 'pending',
  delivered: 'delivered',
  undeliverable: 'undelivered',
  expired: 'undelivered',
  rejected: 'undelivered',
});

/** The status groups by `status.groupId`, for a report without `groupName`. */
const GROUPS = ['ACCEPTED', 'PENDING', 'UNDELIVERABLE', 'DELIVERED', 'EXPIRED', 'REJECTED'];

/** An Infobip delivery report, normalised, with Infobip's own extra fields. */
export interface InfobipDeliveryReport extends DeliveryReport {
  provider: 'infobip';
  /** Infobip's fields that have no place in `DeliveryReport`, verbatim, when present. */
  infobip: {
    /** `status.groupName`, e.g. `"DELIVERED"` (`providerStatus` is `status.name`). */
    group?: string;
    /** `bulkId` of the send. */
    bulkId?: string;
    /** `callbackData`: the message's `reference` as sent. */
    callbackData?: string;
    /** `error.permanent`: `"false"` when Infobip says a retry may succeed. */
    permanent?: string;
    /** `mccMnc`: the recipient's network. */
    mccMnc?: string;
  };
}

const SPEC: ReportFieldSpec = {
  provider: PROVIDER_ID,
  messageId: ['messageId'],
  status: ['group'],
  statuses: INFOBIP_DELIVERY_STATUSES,
  to: ['to'],
  errorCode: ['errorName'],
  noError: ['NO_ERROR', '0'],
  expected: 'a delivery report with a messageId',
};
const EXTRAS = {
  group: 'group',
  bulkId: 'bulkId',
  callbackData: 'callbackData',
  permanent: 'permanent',
  mccMnc: 'mccMnc',
};

/**
 * Every report in an Infobip delivery-report webhook (`{ "results": [...] }`, up to 100 a request),
 * parsed or as its raw JSON text, in order; a single result object is taken too. See
 * `parseInfobipDeliveryReport` for each report's fields. `INVALID_INPUT` when it holds none.
 */
export function parseInfobipDeliveryReports(payload: unknown): InfobipDeliveryReport[] {
  const body = webhookJson(payload, PROVIDER_ID, 'a delivery report object');
  const results = Array.isArray(body.results) ? (body.results as unknown[]) : [body];
  if (results.length === 0) {
    throw new OtpError('INVALID_INPUT', 'infobip: expected a delivery report, got no results', {
      provider: PROVIDER_ID,
    });
  }
  return results.map((result) => parseInfobipDeliveryReport(result));
}

/**
 * Turns an Infobip delivery report into a `DeliveryReport`: a webhook body (`{ "results": [...] }`,
 * parsed or raw; its first result: use `parseInfobipDeliveryReports` for all of them) or one result.
 * `status` is read from `status.groupName` (or `groupId`): `PENDING`/`ACCEPTED` → `pending`;
 * `DELIVERED` → `delivered` only for `DELIVERED_TO_HANDSET`, `pending` for the intermediate
 * `DELIVERED_TO_OPERATOR`, `unknown` for any other name; `UNDELIVERABLE`, `EXPIRED`, `REJECTED` →
 * `undelivered`. `providerStatus` is `status.name`, `to` the `to` (v2) or `destination` with its `+`,
 * `errorCode` `error.name` unless `NO_ERROR`, `at` `doneAt` (else now).
 */
export const parseInfobipDeliveryReport: (payload: unknown) => InfobipDeliveryReport =
  defineDeliveryReportParser(PROVIDER_ID, (payload: unknown): InfobipDeliveryReport => {
    const body = webhookJson(payload, PROVIDER_ID, 'a delivery report object');
    const first: unknown = Array.isArray(body.results) ? body.results[0] : body;
    const result = webhookJson(first ?? null, PROVIDER_ID, 'a delivery report in results');
    const status = webhookFields(result.status ?? {}, PROVIDER_ID, 'a status object');
    const error = webhookFields(result.error ?? {}, PROVIDER_ID, 'an error object');
    const group = status.get('groupName') ?? GROUPS[Number(status.get('groupId'))];
    const permanent = valueAt(result, 'error', 'permanent');
    const fields = webhookFields(
      {
        ...result,
        to: result.to ?? result.destination,
        group,
        errorName: error.get('name') ?? error.get('id'),
        permanent: String(permanent ?? ''),
      },
      PROVIDER_ID,
      'a delivery report',
    );
    const report = reportFromFields(fields, SPEC, parseVendorTime(fields.get('doneAt')) ?? new Date());
    const name = status.get('name');
    if (name !== undefined) report.providerStatus = name;
    if (report.status === 'delivered' && name !== 'DELIVERED_TO_HANDSET') {
      report.status = name === 'DELIVERED_TO_OPERATOR' ? 'pending' : 'unknown';
    }
    return { ...report, provider: PROVIDER_ID, infobip: pickFields(fields, EXTRAS) };
  });
