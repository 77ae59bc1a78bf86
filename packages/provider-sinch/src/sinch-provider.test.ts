import { captureRequests } from '@otpkit/provider-conformance';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  API_TOKEN,
  BODY,
  CREATED,
  capture,
  context,
  ENDPOINT,
  emulator,
  failure,
  fixture,
  provider,
  renderings,
  SERVICE_PLAN_ID,
  serve,
  server,
  TO,
} from './__fixtures__/sinch-setup.js';

describe('the request', () => {
  it('POST /xms/v1/{servicePlanId}/batches, JSON, Bearer token: to as a list, body, type, from; nothing else', async () => {
    const seen = capture();
    await provider().send({ to: TO, body: BODY }, context());
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(ENDPOINT);
    expect(request.headers.get('authorization')).toBe(`Bearer ${API_TOKEN}`);
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(request.headers.get('accept')).toBe('application/json');
    expect(JSON.parse(request.text)).toEqual({ to: [TO], body: BODY, type: 'mt_text', from: '+12015550100' });
  });

  it('the message sender, callback URL and reference over the options; per_recipient_final with a callback', async () => {
    const seen = capture();
    await provider({ callbackUrl: 'https://app.example.com/default' }).send(
      {
        to: TO,
        body: BODY,
        sender: 'OTPKIT',
        callbackUrl: 'https://app.example.com/sinch/dlr',
        reference: 'otp-42',
      },
      context(),
    );
    expect(JSON.parse(seen[0]!.text)).toEqual({
      to: [TO],
      body: BODY,
      type: 'mt_text',
      from: 'OTPKIT',
      delivery_report: 'per_recipient_final',
      callback_url: 'https://app.example.com/sinch/dlr',
      client_reference: 'otp-42',
    });
  });

  it('the callbackUrl option; an explicit deliveryReport is sent even without a callback URL', async () => {
    const seen = capture();
    await provider({ callbackUrl: 'https://app.example.com/default' }).send(
      { to: TO, body: BODY },
      context(),
    );
    await provider({ deliveryReport: 'summary' }).send({ to: TO, body: BODY }, context());
    expect(JSON.parse(seen[0]!.text)).toMatchObject({
      delivery_report: 'per_recipient_final',
      callback_url: 'https://app.example.com/default',
    });
    const second = JSON.parse(seen[1]!.text);
    expect(second.delivery_report).toBe('summary');
    expect(second).not.toHaveProperty('callback_url');
  });

  it('no from at all when neither the message nor the options give one (the default originator)', async () => {
    const seen = capture();
    await provider({ from: undefined }).send({ to: TO, body: BODY }, context());
    expect(JSON.parse(seen[0]!.text)).not.toHaveProperty('from');
  });

  it('each region has its own host, https://{region}.sms.api.sinch.com', async () => {
    const us = capture();
    for (const region of ['eu', 'br', 'ca', 'au'] as const) {
      const url = `https://${region}.sms.api.sinch.com/xms/v1/${SERVICE_PLAN_ID}/batches`;
      const regional = captureRequests({ server, http }, url, CREATED, 201);
      await provider({ region }).send({ to: TO, body: BODY }, context());
      expect(regional).toHaveLength(1);
    }
    expect(us).toHaveLength(0);
  });

  it('the emulator takes the request as Sinch does and records it with the token redacted', async () => {
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt.messageId).toMatch(/^[0-9A-Z]{26}$/);
    expect(emulator.accepted(TO)).toBe(1);
    expect(emulator.requests[0]!.headers.authorization).toBe('[redacted]');
  });
});

describe('the reply', () => {
  it('the message id is the batch id; acceptedAt is its created_at', async () => {
    serve(201, CREATED);
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt).toMatchObject({
      provider: 'sinch',
      messageId: '01FC66621XXXXX119Z8PMV1QPQ',
      to: TO,
      acceptedAt: new Date('2014-10-02T09:34:28.542Z'),
    });
  });

  it('a 2xx without an id is INVALID_RESPONSE', async () => {
    serve(201, { to: [TO], body: BODY });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).not.toContain(BODY);
  });
});

describe('errors, in the shared order', () => {
  const send = () => provider().send({ to: TO, body: BODY }, context());

  it.each([
    ['syntax_invalid_json'],
    ['syntax_invalid_parameter_format'],
    ['syntax_constraint_violation'],
    ['some_future_code'],
  ])('400 %s is REJECTED, not retryable, the code kept', async (code) => {
    serve(400, { code, text: `about ${code}` });
    const error = await failure(send());
    expect(error).toMatchObject({ code: 'REJECTED', retryable: false, providerCode: code, status: 400 });
    expect(error.message).toContain(`about ${code}`);
  });

  it('the docs’ 400 reply', async () => {
    serve(400, fixture('error-invalid-parameter.json'));
    const error = await failure(send());
    expect(error).toMatchObject({ code: 'REJECTED', providerCode: 'syntax_invalid_parameter_format' });
    expect(error.message).toContain('Invalid MSISDN format');
  });

  it('401 with an empty body is AUTHENTICATION', async () => {
    serve(401, null);
    expect(await failure(send())).toMatchObject({ code: 'AUTHENTICATION', retryable: false, status: 401 });
  });

  it.each([
    ['unknown_group', 'REJECTED'],
    ['unknown_campaign', 'INVALID_CONFIG'],
    ['missing_callback_url', 'INVALID_CONFIG'],
  ])('403 %s is %s by its code, not AUTHENTICATION; the code kept', async (code, expected) => {
    serve(403, { code, text: 'refused' });
    expect(await failure(send())).toMatchObject({
      code: expected,
      retryable: false,
      providerCode: code,
      status: 403,
    });
  });

  it('403 with another code or no body is AUTHENTICATION', async () => {
    serve(403, { code: 'forbidden', text: 'no' });
    expect(await failure(send())).toMatchObject({ code: 'AUTHENTICATION', providerCode: 'forbidden' });
    serve(403, null);
    expect(await failure(send())).toMatchObject({ code: 'AUTHENTICATION', status: 403 });
  });

  it('429 is RATE_LIMITED with its Retry-After; 500 and 503 PROVIDER_UNAVAILABLE', async () => {
    serve(429, null, { 'retry-after': '3' });
    expect(await failure(send())).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 3000,
    });
    for (const status of [500, 503]) {
      serve(status, null);
      expect(await failure(send())).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, status });
    }
  });

  it('404 (a wrong service plan) and 415 without a body are INVALID_RESPONSE', async () => {
    for (const status of [404, 415]) {
      serve(status, null);
      expect(await failure(send())).toMatchObject({ code: 'INVALID_RESPONSE', status });
    }
  });

  it('the token and the body never appear in an error, even echoed by Sinch', async () => {
    serve(400, { code: API_TOKEN, text: `token ${API_TOKEN} body ${BODY}` });
    const error = await failure(send());
    expect(renderings(error)).not.toContain(API_TOKEN);
    expect(renderings(error)).not.toContain('482913');
  });
});
