import { captureRequests } from '@otpkit/provider-conformance';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  BODY,
  context,
  ENDPOINT,
  emulator,
  FROM,
  PROFILE,
  provider,
  SUCCESS,
  server,
  TO,
} from './__fixtures__/provider-setup.js';

describe('the send request, as Telnyx documents it', () => {
  it('posts JSON to /v2/messages with a bearer key and reads data.id', async () => {
    const seen = captureRequests({ server, http }, ENDPOINT, SUCCESS);
    const receipt = await provider().send({ to: TO, body: BODY }, context());
    expect(receipt).toMatchObject({
      provider: 'telnyx',
      messageId: '40385f64-5717-4562-b3fc-2c963f66afa6',
      to: TO,
    });
    expect(receipt.acceptedAt).toBeInstanceOf(Date);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(ENDPOINT);
    expect(request!.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers.get('content-type')).toBe('application/json');
    expect(request!.headers.get('accept')).toBe('application/json');
    expect(JSON.parse(request!.text)).toEqual({ from: FROM, to: TO, text: BODY, type: 'SMS' });
  });

  it('sends the profile, the webhook URLs and the message own sender and callback', async () => {
    const seen = captureRequests({ server, http }, ENDPOINT, SUCCESS);
    const telnyx = provider({
      messagingProfileId: PROFILE,
      webhookUrl: 'https://app.example.com/telnyx',
      webhookFailoverUrl: 'https://backup.example.com/telnyx',
    });
    await telnyx.send({ to: TO, body: BODY }, context());
    await telnyx.send(
      { to: TO, body: BODY, sender: 'ACME', callbackUrl: 'https://app.example.com/dlr?id=7' },
      context(),
    );
    expect(JSON.parse(seen[0]!.text)).toEqual({
      from: FROM,
      to: TO,
      text: BODY,
      type: 'SMS',
      messaging_profile_id: PROFILE,
      webhook_url: 'https://app.example.com/telnyx',
      webhook_failover_url: 'https://backup.example.com/telnyx',
    });
    expect(JSON.parse(seen[1]!.text)).toMatchObject({
      from: 'ACME',
      webhook_url: 'https://app.example.com/dlr?id=7',
    });
  });

  it('sends from the number pool with only a messaging profile', async () => {
    const receipt = await provider({ from: undefined, messagingProfileId: PROFILE }).send(
      { to: TO, body: BODY },
      context(),
    );
    expect(receipt.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emulator.requests[0]!.form).toMatchObject({ messaging_profile_id: PROFILE, to: TO, text: BODY });
    expect(emulator.requests[0]!.form.from).toBeUndefined();
    expect(emulator.requests[0]!.headers.authorization).toBe('[redacted]');
  });

  it('refuses an invalid message before any request', async () => {
    await expect(provider().send({ to: '4155550123', body: BODY }, context())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(emulator.requests).toHaveLength(0);
  });
});
