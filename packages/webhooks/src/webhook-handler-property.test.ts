import { createDispatcher } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INFOBIP_TOKEN,
  KALEYRA_TOKEN,
  MSG91_TOKEN,
  PLIVO_AUTH_TOKEN,
  recordReports,
  SECRETS,
  SINCH_WEBHOOK_SECRET,
  TWILIO_AUTH_TOKEN,
  VENDORS,
  VONAGE_SIGNATURE_SECRET,
} from './__fixtures__/rig.js';
import { infobipWebhook } from './infobip.js';
import { kaleyraWebhook } from './kaleyra.js';
import { msg91Webhook } from './msg91.js';
import { plivoWebhook } from './plivo.js';
import { sinchWebhook } from './sinch.js';
import { telnyxWebhook } from './telnyx.js';
import { twilioWebhook } from './twilio.js';
import { vonageWebhook } from './vonage.js';
import { createWebhookHandler } from './webhook-handler.js';

const BASE = 'https://app.example.com';

describe('createWebhookHandler over arbitrary requests', () => {
  const dispatcher = createDispatcher({ providers: [createFakeProvider()] });
  const reports = recordReports(dispatcher);
  const handle = createWebhookHandler({
    dispatcher,
    providers: [
      kaleyraWebhook({ token: KALEYRA_TOKEN, publicUrl: `${BASE}/otpkit/kaleyra` }),
      twilioWebhook({ authToken: TWILIO_AUTH_TOKEN, publicUrl: `${BASE}/otpkit/twilio` }),
      vonageWebhook({ signatureSecret: VONAGE_SIGNATURE_SECRET, publicUrl: `${BASE}/otpkit/vonage` }),
      msg91Webhook({ token: MSG91_TOKEN, publicUrl: `${BASE}/otpkit/msg91` }),
      plivoWebhook({ authToken: PLIVO_AUTH_TOKEN, publicUrl: `${BASE}/otpkit/plivo` }),
      sinchWebhook({ webhookSecret: SINCH_WEBHOOK_SECRET, publicUrl: `${BASE}/otpkit/sinch` }),
      infobipWebhook({ token: INFOBIP_TOKEN, publicUrl: `${BASE}/otpkit/infobip` }),
      telnyxWebhook({
        publicKey: Buffer.alloc(32, 7).toString('base64'),
        publicUrl: `${BASE}/otpkit/telnyx`,
      }),
    ],
    maxBodyBytes: 4096,
  });
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      'MessageSid',
      'messageId',
      'message_id',
      'requestId',
      'MessageUUID',
      'batch_id',
      'results',
      'data',
      'status',
      'sig',
      'otpkit_token',
      'delivered',
      '{',
      '%',
      '&=',
    ),
  );
  const fields = fc.dictionary(text, text, { maxKeys: 8 });
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
    path: fc.constantFrom(
      ...VENDORS.map((vendor) => `/otpkit/${vendor}`),
      '/otpkit/',
      '/x',
      '/otpkit/twilio/',
    ),
    query: fields,
    headers: fc.dictionary(
      fc.constantFrom(
        'content-type',
        'x-twilio-signature',
        'x-plivo-signature-v2',
        'x-plivo-signature-v2-nonce',
        'x-sinch-webhook-signature',
        'x-sinch-webhook-signature-nonce',
        'x-sinch-webhook-signature-timestamp',
        'telnyx-signature-ed25519',
        'telnyx-timestamp',
        'content-length',
        'x-other',
      ),
      fc.constantFrom(
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
        '',
        'abc',
        '12',
        '999999',
      ),
    ),
    body: fc.oneof(
      fields.map((value) => new URLSearchParams(value).toString()),
      fields.map((value) => JSON.stringify(value)),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }),
    ),
  });

  it('never answers 500, never throws, reports nothing, and echoes no secret', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path, query, headers, body }) => {
        const url = new URL(path, BASE);
        for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);
        let answer: Response;
        try {
          const init: RequestInit = { method, headers: new Headers() };
          for (const [name, value] of Object.entries(headers)) (init.headers as Headers).set(name, value);
          if (method !== 'GET') init.body = body as BodyInit;
          answer = await handle(new Request(url, init));
        } catch (error) {
          // An input the Fetch API itself refuses (a header value it rejects) never reaches the handler.
          if (error instanceof TypeError) return;
          throw error;
        }
        expect(answer.status).not.toBe(500);
        expect([204, 400, 401, 404, 405, 413]).toContain(answer.status);
        const text = await answer.text();
        for (const secret of SECRETS) expect(text).not.toContain(secret);
        expect(reports).toHaveLength(0);
      }),
      { numRuns: 1200 },
    );
  });
});
