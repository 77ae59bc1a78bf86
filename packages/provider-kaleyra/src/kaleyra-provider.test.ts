import { createDispatcher, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKaleyraProvider } from './kaleyra-provider.js';
import { createKaleyraEmulator } from './testing.js';

const emulator = createKaleyraEmulator({ sid: 'HXXXXXXX071US', apiKey: 'Ac4XXXXX21f' });
const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

const provider = () =>
  createKaleyraProvider({ sid: 'HXXXXXXX071US', apiKey: 'Ac4XXXXX21f', sender: 'KLRHXA' });
const context = () => ({ signal: new AbortController().signal, attempt: 1 });

describe('createKaleyraProvider (smoke)', () => {
  it('sends the seed request and returns a receipt', async () => {
    const receipt = await provider().send({ to: '+14155550123', body: 'Your OTP is 1234' }, context());
    expect(receipt.provider).toBe('kaleyra');
    expect(receipt.messageId).toMatch(/:1$/);
    expect(emulator.requests[0]?.form).toEqual({
      to: '+14155550123',
      type: 'OTP',
      sender: 'KLRHXA',
      body: 'Your OTP is 1234',
    });
    expect(emulator.requests[0]?.headers['api-key']).toBe('[redacted]');
  });

  it('a 503 then 200 through a dispatcher ends in one sent after one retrying', async () => {
    emulator.failNext({ kind: 'unavailable' });
    const dispatcher = createDispatcher({ providers: [provider()], retry: { minDelayMs: 1, maxDelayMs: 1 } });
    const seen: string[] = [];
    for (const name of ['queued', 'retrying', 'sent', 'failed'] as const)
      dispatcher.on(name, () => seen.push(name));
    const result = await dispatcher.send({ to: '+14155550123', body: 'Your OTP is 1234' });
    expect(result.attempts).toBe(2);
    expect(seen).toEqual(['queued', 'retrying', 'sent']);
  });

  it('maps E404', async () => {
    emulator.failNext({
      kind: 'error',
      code: 'E404',
      message: 'If Type is OTP then only one mobile number is allowed.',
    });
    const error = await provider()
      .send({ to: '+14155550123', body: 'Your OTP is 1234' }, context())
      .catch((e: unknown) => e);
    expect(isOtpError(error, 'REJECTED')).toBe(true);
    expect((error as Error).message).toContain('only one mobile number');
  });
});
