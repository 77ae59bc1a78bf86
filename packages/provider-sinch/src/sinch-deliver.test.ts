import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isOtpError } from '@otpkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSinchDeliveryReport } from './sinch-delivery-report.js';
import { createSinchProvider } from './sinch-provider.js';
import { verifySinchSignature } from './sinch-signature.js';
import { createSinchEmulator, type SinchEmulatorServer } from './testing.js';

// deliver() over real sockets: the emulator on one port, the app's callback receiver on another.
const credentials = { servicePlanId: 'deliverplan01', apiToken: 'sinch-deliver-token-0001' };
const webhookSecret = 'sinch-webhook-secret-0001';
const emulator = createSinchEmulator({ ...credentials, webhookSecret });
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const app = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    received.push({ headers: request.headers, body });
    response.writeHead(204).end();
  });
});
let api: SinchEmulatorServer;
let callbackUrl: string;

beforeAll(async () => {
  api = await emulator.listen();
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/sinch/dlr`;
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => app.close(resolve));
});

describe('the emulator’s deliver()', () => {
  it('posts a signed per-recipient report that verifySinchSignature and parseSinchDeliveryReport accept', async () => {
    const provider = createSinchProvider({ ...credentials, from: '+12015550100', baseUrl: api.url });
    const signal = new AbortController().signal;
    const receipt = await provider.send(
      { to: '+46700000001', body: 'Your code is 482913', callbackUrl, reference: 'otp-42' },
      { signal, attempt: 1 },
    );
    expect(await emulator.deliver(receipt.messageId, 'Delivered')).toEqual({ status: 204 });
    expect(await emulator.deliver(receipt.messageId, 'Failed')).toEqual({ status: 204 });
    const [delivered, failed] = received;
    expect(delivered!.headers['content-type']).toBe('application/json');
    expect(verifySinchSignature(delivered!.body, delivered!.headers, { secret: webhookSecret })).toBe(true);
    expect(verifySinchSignature(delivered!.body, delivered!.headers, { secret: 'another' })).toBe(false);
    expect(parseSinchDeliveryReport(delivered!.body)).toMatchObject({
      messageId: receipt.messageId,
      to: '+46700000001',
      status: 'delivered',
      sinch: { clientReference: 'otp-42', type: 'recipient_delivery_report_sms' },
    });
    expect(parseSinchDeliveryReport(failed!.body)).toMatchObject({ status: 'undelivered', errorCode: '402' });
  });

  it('refuses a batch it did not accept, or one sent without a callback_url', async () => {
    const provider = createSinchProvider({ ...credentials, from: '+12015550100', baseUrl: api.url });
    const receipt = await provider.send(
      { to: '+46700000001', body: 'Your code is 482913' },
      { signal: new AbortController().signal, attempt: 1 },
    );
    for (const id of ['01UNKNOWNBATCH', receipt.messageId]) {
      const error = await emulator.deliver(id, 'Delivered').catch((thrown: unknown) => thrown);
      expect(isOtpError(error, 'INVALID_INPUT')).toBe(true);
    }
  });
});
