import { signPlivoV2 } from '@otpkit/provider-plivo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeReceiptRoute } from './__fixtures__/describe-route.js';
import { FIXTURES, PLIVO_AUTH_TOKEN, receiptRoute } from './__fixtures__/rig.js';

describeReceiptRoute('plivo');

describe('plivo route: what a V2 signature covers', () => {
  let route: Awaited<ReturnType<typeof receiptRoute>>;
  beforeAll(async () => {
    route = await receiptRoute('plivo');
  });
  afterAll(() => route.close());

  it('answers 401 to a V2 signature made for another URL or nonce, and reports nothing', async () => {
    const { messageId } = await route.dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
    const fields = FIXTURES.plivo.receipt(messageId, 'delivered');
    const call = (signedUrl: string, nonce: string, sentNonce = nonce) =>
      fetch(route.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-plivo-signature-v2': signPlivoV2(signedUrl, nonce, PLIVO_AUTH_TOKEN),
          'x-plivo-signature-v2-nonce': sentNonce,
        },
        body: new URLSearchParams(fields).toString(),
      });
    expect((await call(`${route.server.url}/otpkit/twilio`, '111')).status).toBe(401);
    expect((await call(route.url, '111', '112')).status).toBe(401);
    expect(route.reports).toHaveLength(0);
    expect((await call(route.url, '111')).status).toBe(204);
    expect(route.reports).toMatchObject([{ event: 'delivered', messageId }]);
  });
});
