import { describe, expect, it } from 'vitest';
import {
  ACCEPTED,
  API_KEY,
  BODY,
  capture,
  context,
  ENDPOINT,
  emulator,
  failure,
  fixture,
  provider,
  renderings,
  serve,
  TO,
} from './__fixtures__/infobip-setup.js';

describe('the request', () => {
  it('POST /sms/3/messages, JSON, Authorization: App <key>: sender, destinations without "+", content.text', async () => {
    const seen = capture();
    await provider().send({ to: TO, body: BODY }, context());
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(ENDPOINT);
    expect(request.headers.get('authorization')).toBe(`App ${API_KEY}`);
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(request.headers.get('accept')).toBe('application/json');
    expect(JSON.parse(request.text)).toEqual({
      messages: [{ sender: 'InfoSMS', destinations: [{ to: '41793026727' }], content: { text: BODY } }],
    });
  });

  it('the message sender, callback URL and reference; intermediateReport and India DLT from the options', async () => {
    const seen = capture();
    await provider({ intermediateReport: true, principalEntityId: '1101456789012345678' }).send(
      {
        to: '+919876543210',
        body: BODY,
        sender: 'OTPKIT',
        callbackUrl: 'https://app.example.com/infobip/dlr',
        reference: 'otp-42',
        templateId: '1107161234567890123',
      },
      context(),
    );
    expect(JSON.parse(seen[0]!.text).messages[0]).toEqual({
      sender: 'OTPKIT',
      destinations: [{ to: '919876543210' }],
      content: { text: BODY },
      options: {
        regional: {
          indiaDlt: { principalEntityId: '1101456789012345678', contentTemplateId: '1107161234567890123' },
        },
      },
      webhooks: {
        delivery: { url: 'https://app.example.com/infobip/dlr', intermediateReport: true },
        contentType: 'application/json',
        callbackData: 'otp-42',
      },
    });
  });

  it('the callbackUrl option; a reference alone goes as callbackData; no sender when none is given', async () => {
    const seen = capture();
    await provider({ callbackUrl: 'https://app.example.com/default' }).send(
      { to: TO, body: BODY },
      context(),
    );
    await provider({ sender: undefined }).send({ to: TO, body: BODY, reference: 'r-1' }, context());
    expect(JSON.parse(seen[0]!.text).messages[0].webhooks).toEqual({
      delivery: { url: 'https://app.example.com/default' },
      contentType: 'application/json',
    });
    const second = JSON.parse(seen[1]!.text).messages[0];
    expect(second).not.toHaveProperty('sender');
    expect(second.webhooks).toEqual({ callbackData: 'r-1' });
  });

  it('the emulator takes it, counts the recipient and records the JSON body with the key redacted', async () => {
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(emulator.accepted(TO)).toBe(1);
    expect(emulator.requests[0]!.headers.authorization).toBe('[redacted]');
    expect(emulator.requests[0]!.body).toMatchObject({ messages: [{ content: { text: BODY } }] });
    expect(receipt.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the reply', () => {
  it('the message id is messages[0].messageId', async () => {
    serve(200, ACCEPTED);
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt).toMatchObject({
      provider: 'infobip',
      messageId: '2250be2d4219-3af1-78856-aabe-1362af1edfd2',
      to: TO,
    });
  });

  it('a REJECTED group inside HTTP 200 is a failure: REJECTED, the status name kept', async () => {
    serve(200, fixture('send-rejected.json'));
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({
      code: 'REJECTED',
      retryable: false,
      status: 200,
      providerCode: 'REJECTED_NOT_ENOUGH_CREDITS',
    });
    expect(error.message).toContain('Not enough credits');
  });

  it('a REJECTED groupId without a groupName, and a rejected name without text, are failures too', async () => {
    serve(200, { messages: [{ messageId: 'm1', status: { groupId: 5, id: 18 } }] });
    expect(await failure(provider().send({ to: TO, body: BODY }, context()))).toMatchObject({
      code: 'REJECTED',
      providerCode: '18',
    });
  });

  it('a 200 without a messageId, without messages, or not JSON is INVALID_RESPONSE', async () => {
    for (const body of [{ messages: [{ status: { groupName: 'PENDING' } }] }, { bulkId: 'b' }, '<html>']) {
      serve(200, body);
      expect((await failure(provider().send({ to: TO, body: BODY }, context()))).code).toBe(
        'INVALID_RESPONSE',
      );
    }
  });
});

describe('errors, in the shared order', () => {
  const send = () => provider().send({ to: TO, body: BODY }, context());

  it('the docs’ v3 400 (E400) is REJECTED, with its description', async () => {
    serve(400, fixture('error-e400.json'));
    const error = await failure(send());
    expect(error).toMatchObject({ code: 'REJECTED', providerCode: 'E400', status: 400 });
    expect(error.message).toContain('Request cannot be processed.');
  });

  it('the legacy v2 body: 401 UNAUTHORIZED is AUTHENTICATION, with its text', async () => {
    serve(401, fixture('error-v2-unauthorized.json'));
    const error = await failure(send());
    expect(error).toMatchObject({ code: 'AUTHENTICATION', providerCode: 'UNAUTHORIZED', retryable: false });
    expect(error.message).toContain('Invalid login details');
  });

  it('403 E403 is AUTHENTICATION; 429 RATE_LIMITED with Retry-After; 500 and 503 PROVIDER_UNAVAILABLE', async () => {
    serve(403, { errorCode: 'E403', description: 'Forbidden' });
    expect(await failure(send())).toMatchObject({ code: 'AUTHENTICATION', providerCode: 'E403' });
    serve(429, { errorCode: 'E429', description: 'Too many requests' }, { 'retry-after': '2' });
    expect(await failure(send())).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 2000,
    });
    for (const status of [500, 503]) {
      serve(status, { errorCode: 'E500', description: 'Something went wrong' });
      expect(await failure(send())).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, status });
    }
  });

  it('the key and the body never appear in an error, even echoed by Infobip inside a 200', async () => {
    serve(200, {
      messages: [{ status: { groupName: 'REJECTED', name: API_KEY, description: `${API_KEY} ${BODY}` } }],
    });
    const error = await failure(send());
    expect(renderings(error)).not.toContain(API_KEY);
    expect(renderings(error)).not.toContain('482913');
  });
});
