import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isOtpError } from '@otpkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInfobipDeliveryReports } from './infobip-delivery-report.js';
import { createInfobipProvider } from './infobip-provider.js';
import { createInfobipEmulator, type InfobipEmulatorServer } from './testing.js';

// Over real sockets (no msw here): the emulator on one port, the app's report receiver on another.
const apiKey = 'infobip-emulator-secret-key-0001';
const emulator = createInfobipEmulator({ apiKey });
const received: string[] = [];
const app = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    received.push(body);
    response.writeHead(200).end();
  });
});
let api: InfobipEmulatorServer;
let callbackUrl: string;
const post = (body: unknown, key = apiKey) =>
  fetch(`${api.url}/sms/3/messages`, {
    method: 'POST',
    headers: { authorization: `App ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const message = (to: unknown, text: unknown = 'Your code is 482913') => ({
  messages: [{ destinations: [{ to }], content: { text } }],
});

beforeAll(async () => {
  api = await emulator.listen();
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/infobip/dlr`;
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => app.close(resolve));
});

describe('the Infobip emulator', () => {
  it('accepts a good message (200, PENDING_ACCEPTED), refuses a wrong key (401 E401) and a bad one (400 E400)', async () => {
    const accepted = await (await post(message('41793026727'))).json();
    expect(accepted.messages[0]).toMatchObject({
      status: { groupId: 1, groupName: 'PENDING', id: 26, name: 'PENDING_ACCEPTED' },
      destination: '41793026727',
    });
    const wrong = await post(message('41793026727'), 'nope');
    expect([wrong.status, (await wrong.json()).errorCode]).toEqual([401, 'E401']);
    for (const body of [message('+41793026727'), message('41793026727', ''), {}]) {
      const refused = await post(body);
      expect([refused.status, (await refused.json()).errorCode]).toEqual([400, 'E400']);
    }
    expect(emulator.accepted('+41793026727')).toBe(1);
  });

  it('its faults: the REJECTED group inside a 200, E429 with Retry-After, E500', async () => {
    emulator.failNext({ kind: 'error', code: 'REJECTED_NOT_ENOUGH_CREDITS', status: 200 });
    const rejected = await post(message('41793026727'));
    expect(rejected.status).toBe(200);
    expect((await rejected.json()).messages[0].status).toMatchObject({ groupId: 5, groupName: 'REJECTED' });
    emulator.failNext({ kind: 'rate-limit', retryAfter: 3 });
    const limited = await post(message('41793026727'));
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    emulator.failNext({ kind: 'unavailable' });
    expect((await post(message('41793026727'))).status).toBe(503);
  });

  it('deliver() posts Infobip’s results[] to the message’s delivery URL, unsigned', async () => {
    const provider = createInfobipProvider({ apiKey, baseUrl: api.url, sender: 'InfoSMS' });
    const receipt = await provider.send(
      { to: '+41793026727', body: 'Your code is 482913', callbackUrl, reference: 'otp-42' },
      { signal: new AbortController().signal, attempt: 1 },
    );
    for (const status of ['DELIVERED_TO_OPERATOR', 'DELIVERED_TO_HANDSET', 'UNDELIVERABLE_NOT_DELIVERED']) {
      expect(await emulator.deliver(receipt.messageId, status)).toEqual({ status: 200 });
    }
    const reports = received.flatMap((body) => parseInfobipDeliveryReports(body));
    expect(reports.map((report) => [report.messageId, report.status, report.providerStatus])).toEqual([
      [receipt.messageId, 'pending', 'DELIVERED_TO_OPERATOR'],
      [receipt.messageId, 'delivered', 'DELIVERED_TO_HANDSET'],
      [receipt.messageId, 'undelivered', 'UNDELIVERABLE_NOT_DELIVERED'],
    ]);
    expect(reports[2]).toMatchObject({ to: '+41793026727', errorCode: 'EC_ABSENT_SUBSCRIBER' });
    expect(reports[0]!.infobip.callbackData).toBe('otp-42');
  });

  it('deliver() refuses an unknown message id, or a message sent without a delivery URL', async () => {
    const provider = createInfobipProvider({ apiKey, baseUrl: api.url });
    const receipt = await provider.send(
      { to: '+41793026727', body: 'Your code is 482913' },
      { signal: new AbortController().signal, attempt: 1 },
    );
    for (const id of ['unknown-id', receipt.messageId]) {
      const error = await emulator.deliver(id, 'DELIVERED_TO_HANDSET').catch((thrown: unknown) => thrown);
      expect(isOtpError(error, 'INVALID_INPUT')).toBe(true);
    }
  });
});
