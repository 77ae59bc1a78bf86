import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/infobip-setup.js';
import { parseInfobipDeliveryReport, parseInfobipDeliveryReports } from './infobip-delivery-report.js';

const docs = fixture('delivery-reports.json');
const result = (
  status: object,
  error: object = { groupId: 0, groupName: 'OK', id: 0, name: 'NO_ERROR' },
) => ({
  messageId: 'm-1',
  to: '41793026727',
  doneAt: '2024-05-22T10:06:25.456+0000',
  status,
  error,
});
const group = (groupName: string, name: string, groupId?: number) => ({ groupName, name, groupId });

describe('parseInfobipDeliveryReport', () => {
  it('the docs’ webhook, parsed or raw: its first result', () => {
    for (const payload of [docs, JSON.parse(docs), Buffer.from(docs)]) {
      expect(parseInfobipDeliveryReport(payload)).toEqual({
        provider: 'infobip',
        messageId: 'MESSAGE-ID-123-xyz',
        to: '+41793026727',
        status: 'delivered',
        providerStatus: 'DELIVERED_TO_HANDSET',
        at: new Date('2019-11-09T16:00:00.000Z'),
        infobip: { group: 'DELIVERED', bulkId: 'BULK-ID-123-xyz', permanent: 'false' },
      });
    }
  });

  it('parseInfobipDeliveryReports returns every result, in order', () => {
    expect(parseInfobipDeliveryReports(docs).map((report) => report.messageId)).toEqual([
      'MESSAGE-ID-123-xyz',
      '12db39c3-7822-4e72-a3ec-c87442c0ffc5',
    ]);
    expect(parseInfobipDeliveryReports(result(group('PENDING', 'PENDING_ENROUTE')))).toHaveLength(1);
  });

  it.each([
    [group('PENDING', 'PENDING_ENROUTE'), 'pending'],
    [group('ACCEPTED', 'MESSAGE_ACCEPTED'), 'pending'],
    [group('DELIVERED', 'DELIVERED_TO_OPERATOR'), 'pending'],
    [group('DELIVERED', 'DELIVERED_TO_HANDSET'), 'delivered'],
    [group('DELIVERED', 'DELIVERED_SOMEWHERE_NEW'), 'unknown'],
    [group('UNDELIVERABLE', 'UNDELIVERABLE_NOT_DELIVERED'), 'undelivered'],
    [group('EXPIRED', 'EXPIRED_EXPIRED'), 'undelivered'],
    [group('REJECTED', 'REJECTED_DESTINATION'), 'undelivered'],
    [group('SOMETHING_NEW', 'X'), 'unknown'],
  ])('%j is %s', (status, expected) => {
    expect(parseInfobipDeliveryReport(result(status)).status).toBe(expected);
  });

  it('reads the group by groupId when groupName is missing (3 DELIVERED, 2 UNDELIVERABLE)', () => {
    expect(parseInfobipDeliveryReport(result({ groupId: 3, name: 'DELIVERED_TO_HANDSET' })).status).toBe(
      'delivered',
    );
    expect(
      parseInfobipDeliveryReport(result({ groupId: 2, name: 'UNDELIVERABLE_NOT_DELIVERED' })).status,
    ).toBe('undelivered');
  });

  it('the error name is the errorCode unless NO_ERROR; permanent, callbackData and mccMnc kept; v3 destination', () => {
    const report = parseInfobipDeliveryReport({
      ...result(group('UNDELIVERABLE', 'UNDELIVERABLE_NOT_DELIVERED'), {
        groupId: 1,
        groupName: 'HANDSET_ERRORS',
        id: 27,
        name: 'EC_ABSENT_SUBSCRIBER',
        permanent: false,
      }),
      to: undefined,
      destination: '41793026834',
      callbackData: 'otp-42',
      mccMnc: '22801',
    });
    expect(report).toMatchObject({
      to: '+41793026834',
      errorCode: 'EC_ABSENT_SUBSCRIBER',
      infobip: { permanent: 'false', callbackData: 'otp-42', mccMnc: '22801' },
    });
    expect(parseInfobipDeliveryReport(result(group('DELIVERED', 'DELIVERED_TO_HANDSET')))).not.toHaveProperty(
      'errorCode',
    );
  });

  it.each([
    ['no results', { results: [] }],
    ['a result without messageId', { results: [{ status: group('DELIVERED', 'DELIVERED_TO_HANDSET') }] }],
    ['unreadable JSON', '{"results": ['],
    ['an array', [result(group('PENDING', 'PENDING_ENROUTE'))]],
    ['null', null],
  ])('refuses %s with INVALID_INPUT', (_, payload) => {
    for (const parse of [parseInfobipDeliveryReport, parseInfobipDeliveryReports]) {
      let thrown: unknown;
      try {
        parse(payload);
      } catch (error) {
        thrown = error;
      }
      expect(isOtpError(thrown, 'INVALID_INPUT')).toBe(true);
    }
  });
});
