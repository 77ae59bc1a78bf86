import {
  createDispatcher,
  isOtpError,
  type OtpError,
  OtpError as OtpErrorClass,
  type SendContext,
} from '@otpkit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeProvider } from './index.js';

const ALICE = '+919876543210';
const BOB = '+14155550123';

const context = (attempt = 1, signal: AbortSignal = new AbortController().signal): SendContext => ({
  signal,
  attempt,
});

async function failure(promise: Promise<unknown>): Promise<OtpError> {
  const reason = await promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
  expect(isOtpError(reason)).toBe(true);
  return reason as OtpError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createFakeProvider: recording', () => {
  it('records every accepted message with deterministic ids fake-1, fake-2, ...', async () => {
    const fake = createFakeProvider();
    expect(fake.id).toBe('fake');
    const first = await fake.send({ to: ALICE, body: 'Your code is 111111', reference: 'r1' }, context(1));
    const second = await fake.send({ to: BOB, body: 'Your code is 222222' }, context(2));
    expect(first).toEqual({ provider: 'fake', messageId: 'fake-1', to: ALICE, acceptedAt: expect.any(Date) });
    expect(second.messageId).toBe('fake-2');
    expect(fake.messages).toEqual([
      {
        to: ALICE,
        body: 'Your code is 111111',
        reference: 'r1',
        messageId: 'fake-1',
        attempt: 1,
        acceptedAt: first.acceptedAt,
      },
      {
        to: BOB,
        body: 'Your code is 222222',
        messageId: 'fake-2',
        attempt: 2,
        acceptedAt: second.acceptedAt,
      },
    ]);
    expect(fake.calls).toBe(2);
  });

  it('uses a custom id in receipts and message ids', async () => {
    const fake = createFakeProvider({ id: 'sms-test' });
    expect(fake.id).toBe('sms-test');
    const receipt = await fake.send({ to: ALICE, body: 'hi' }, context());
    expect(receipt).toMatchObject({ provider: 'sms-test', messageId: 'sms-test-1' });
  });

  it('lastMessage() gives the latest message, to a recipient when given', async () => {
    const fake = createFakeProvider();
    expect(fake.lastMessage()).toBeUndefined();
    await fake.send({ to: ALICE, body: 'a1' }, context());
    await fake.send({ to: BOB, body: 'b1' }, context());
    await fake.send({ to: ALICE, body: 'a2' }, context());
    expect(fake.lastMessage()?.body).toBe('a2');
    expect(fake.lastMessage(BOB)?.body).toBe('b1');
    expect(fake.lastMessage(ALICE)?.messageId).toBe('fake-3');
    expect(fake.lastMessage('+4930123456')).toBeUndefined();
  });

  it('lastCode() reads 4 to 8 digits from the last message to a recipient', async () => {
    const fake = createFakeProvider();
    await fake.send({ to: ALICE, body: 'Your code is 482913. Valid 10 min.' }, context());
    await fake.send({ to: BOB, body: 'Use 1234 to log in' }, context());
    expect(fake.lastCode(ALICE)).toBe('482913');
    expect(fake.lastCode(BOB)).toBe('1234');
    await fake.send({ to: ALICE, body: 'Your new code is 99887766' }, context());
    expect(fake.lastCode(ALICE)).toBe('99887766');
    await fake.send({ to: BOB, body: 'No code: 123 or 123456789' }, context());
    expect(fake.lastCode(BOB)).toBeUndefined();
    expect(fake.lastCode('+4930123456')).toBeUndefined();
  });

  it('lastCode() takes a custom pattern, per call or as an option', async () => {
    const perCall = createFakeProvider();
    await perCall.send({ to: ALICE, body: 'Ref 2024, code AB-12CD' }, context());
    expect(perCall.lastCode(ALICE)).toBe('2024');
    expect(perCall.lastCode(ALICE, /[A-Z]{2}-\d{2}[A-Z]{2}/)).toBe('AB-12CD');

    const byOption = createFakeProvider({ codePattern: /\b\d{6}\b/ });
    await byOption.send({ to: ALICE, body: 'Order 1234: your code is 654321' }, context());
    expect(byOption.lastCode(ALICE)).toBe('654321');
  });

  it('lastCode() with a global pattern gives the same answer every time', async () => {
    const fake = createFakeProvider();
    const pattern = /\d{6}/g;
    await fake.send({ to: ALICE, body: 'code 482913' }, context());
    await fake.send({ to: BOB, body: '135790 is your code' }, context());
    expect(fake.lastCode(ALICE, pattern)).toBe('482913');
    expect(fake.lastCode(ALICE, pattern)).toBe('482913');
    expect(fake.lastCode(BOB, pattern)).toBe('135790');
  });

  it('reset() forgets messages, calls, scripted failures and the id counter', async () => {
    const fake = createFakeProvider();
    await fake.send({ to: ALICE, body: 'code 1111' }, context());
    fake.failNext('NETWORK', 3);
    fake.failWhen(BOB, 'REJECTED');
    fake.reset();
    expect(fake.messages).toEqual([]);
    expect(fake.calls).toBe(0);
    expect(fake.lastMessage()).toBeUndefined();
    const receipt = await fake.send({ to: BOB, body: 'code 2222' }, context());
    expect(receipt.messageId).toBe('fake-1');
    expect(fake.calls).toBe(1);
  });
});

describe('createFakeProvider: scripted failures', () => {
  it('failNext(code) fails the next send with the code and its default retryable flag', async () => {
    const fake = createFakeProvider();
    expect(fake.failNext('NETWORK')).toBe(fake);
    const error = await failure(fake.send({ to: ALICE, body: 'x' }, context()));
    expect(error).toBeInstanceOf(OtpErrorClass);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true, provider: 'fake' });
    await expect(fake.send({ to: ALICE, body: 'x' }, context())).resolves.toMatchObject({
      messageId: 'fake-1',
    });
    expect(fake.calls).toBe(2);
    expect(fake.messages).toHaveLength(1);

    fake.failNext('REJECTED');
    expect(await failure(fake.send({ to: ALICE, body: 'x' }, context()))).toMatchObject({
      code: 'REJECTED',
      retryable: false,
    });
  });

  it('failNext(code, times) fails that many sends, then sends succeed', async () => {
    const fake = createFakeProvider();
    fake.failNext('PROVIDER_UNAVAILABLE', 3);
    for (let index = 0; index < 3; index++) {
      expect((await failure(fake.send({ to: ALICE, body: 'x' }, context()))).code).toBe(
        'PROVIDER_UNAVAILABLE',
      );
    }
    await expect(fake.send({ to: ALICE, body: 'x' }, context())).resolves.toBeDefined();
  });

  it('failNext(error) throws that very OtpError, retryAfterMs and all', async () => {
    const fake = createFakeProvider();
    const limited = new OtpErrorClass('RATE_LIMITED', 'slow down', {
      retryAfterMs: 1500,
      providerCode: 'E429',
    });
    fake.failNext(limited).failNext('AUTHENTICATION');
    expect(await failure(fake.send({ to: ALICE, body: 'x' }, context()))).toBe(limited);
    expect((await failure(fake.send({ to: ALICE, body: 'x' }, context()))).code).toBe('AUTHENTICATION');
  });

  it('failWhen(recipient) fails every send to that number until removed', async () => {
    const fake = createFakeProvider();
    const remove = fake.failWhen(BOB, 'REJECTED');
    for (let index = 0; index < 2; index++) {
      expect((await failure(fake.send({ to: BOB, body: 'x' }, context()))).code).toBe('REJECTED');
    }
    await expect(fake.send({ to: ALICE, body: 'x' }, context())).resolves.toBeDefined();
    remove();
    await expect(fake.send({ to: BOB, body: 'x' }, context())).resolves.toBeDefined();
  });

  it('failWhen(RegExp) matches the recipient, also with a global pattern', async () => {
    const fake = createFakeProvider();
    fake.failWhen(/^\+91/g, 'NETWORK');
    for (let index = 0; index < 3; index++) {
      expect((await failure(fake.send({ to: ALICE, body: 'x' }, context()))).code).toBe('NETWORK');
    }
    await expect(fake.send({ to: BOB, body: 'x' }, context())).resolves.toBeDefined();
  });

  it('failWhen(predicate) sees the whole message; an OtpError is thrown as is', async () => {
    const fake = createFakeProvider();
    const error = new OtpErrorClass('REJECTED', 'DLT template missing', { providerCode: 'E413' });
    const predicate = vi.fn((message: { templateId?: string }) => message.templateId === undefined);
    fake.failWhen(predicate, error);
    expect(await failure(fake.send({ to: ALICE, body: 'x' }, context()))).toBe(error);
    await expect(fake.send({ to: ALICE, body: 'x', templateId: 'T1' }, context())).resolves.toBeDefined();
    expect(predicate).toHaveBeenCalledWith(expect.objectContaining({ to: ALICE }));
  });

  it('failNext goes before failWhen; removing one rule keeps the others', async () => {
    const fake = createFakeProvider();
    const removeBob = fake.failWhen(BOB, 'REJECTED');
    fake.failWhen(ALICE, 'AUTHENTICATION');
    fake.failNext('TIMEOUT');
    expect((await failure(fake.send({ to: BOB, body: 'x' }, context()))).code).toBe('TIMEOUT');
    expect((await failure(fake.send({ to: BOB, body: 'x' }, context()))).code).toBe('REJECTED');
    removeBob();
    removeBob();
    await expect(fake.send({ to: BOB, body: 'x' }, context())).resolves.toBeDefined();
    expect((await failure(fake.send({ to: ALICE, body: 'x' }, context()))).code).toBe('AUTHENTICATION');
  });
});

describe('createFakeProvider: latency and the signal', () => {
  it('answers after latencyMs', async () => {
    vi.useFakeTimers();
    const fake = createFakeProvider({ latencyMs: 200 });
    let done = false;
    const sending = fake.send({ to: ALICE, body: 'x' }, context()).then((receipt) => {
      done = true;
      return receipt;
    });
    await vi.advanceTimersByTimeAsync(199);
    expect(done).toBe(false);
    expect(fake.messages).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    await expect(sending).resolves.toMatchObject({ messageId: 'fake-1' });
  });

  it('aborts promptly with the signal’s OtpError reason, recording nothing', async () => {
    vi.useFakeTimers();
    const fake = createFakeProvider({ latencyMs: 5000 });
    const controller = new AbortController();
    const sending = failure(fake.send({ to: ALICE, body: 'x' }, context(1, controller.signal)));
    await vi.advanceTimersByTimeAsync(10);
    const reason = new OtpErrorClass('TIMEOUT', 'attempt took too long', { provider: 'fake' });
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(await sending).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.messages).toHaveLength(0);
    expect(fake.calls).toBe(1);
  });

  it('turns a non-OtpError abort reason into ABORTED', async () => {
    vi.useFakeTimers();
    const fake = createFakeProvider({ latencyMs: 5000 });
    const controller = new AbortController();
    const sending = failure(fake.send({ to: ALICE, body: 'x' }, context(1, controller.signal)));
    controller.abort(new Error('gone'));
    const error = await sending;
    expect(error).toMatchObject({ code: 'ABORTED', provider: 'fake' });
    expect((error.cause as Error).message).toBe('gone');
  });

  it('with latency, refuses at once when the signal is already aborted', async () => {
    const fake = createFakeProvider({ latencyMs: 50 });
    const error = await failure(fake.send({ to: ALICE, body: 'x' }, context(1, AbortSignal.abort())));
    expect(error.code).toBe('ABORTED');
    expect(fake.messages).toHaveLength(0);
  });
});

describe('createFakeProvider: delivery reports', () => {
  it('parses the payload deliveryReport() builds, filling in the recipient of a known message', async () => {
    const fake = createFakeProvider();
    const { messageId } = await fake.send({ to: ALICE, body: 'code 1234' }, context());
    const payload = fake.deliveryReport(messageId, 'delivered');
    expect(payload).toEqual({ messageId: 'fake-1', status: 'delivered' });
    expect(fake.parseDeliveryReport!(payload)).toEqual({
      provider: 'fake',
      messageId: 'fake-1',
      to: ALICE,
      status: 'delivered',
      providerStatus: 'delivered',
      at: expect.any(Date),
    });
    const failed = fake.parseDeliveryReport!(fake.deliveryReport(messageId, 'undelivered', 'E-ABSENT'));
    expect(failed).toMatchObject({ status: 'undelivered', errorCode: 'E-ABSENT' });
  });

  it('maps unknown statuses to unknown and keeps the vendor status verbatim', () => {
    const fake = createFakeProvider();
    const report = fake.parseDeliveryReport!({ messageId: 'fake-99', status: 'EXPIRED' });
    expect(report).toMatchObject({ status: 'unknown', providerStatus: 'EXPIRED' });
    expect(report).not.toHaveProperty('to');
    expect(fake.parseDeliveryReport!(fake.deliveryReport('fake-99', 'pending')).status).toBe('pending');
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'garbage'],
    ['a number', 42],
    ['an empty object', {}],
    ['an empty messageId', { messageId: '', status: 'delivered' }],
    ['no status', { messageId: 'fake-1' }],
    ['a numeric status', { messageId: 'fake-1', status: 2 }],
  ])('refuses %s with INVALID_INPUT', (_what, payload) => {
    const fake = createFakeProvider();
    expect(() => fake.parseDeliveryReport!(payload)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('createFakeProvider: options', () => {
  it.each<[string, unknown, string]>([
    ['an empty id', { id: '' }, 'id'],
    ['a numeric id', { id: 7 }, 'id'],
    ['a negative latency', { latencyMs: -1 }, 'latencyMs'],
    ['a NaN latency', { latencyMs: Number.NaN }, 'latencyMs'],
    ['an infinite latency', { latencyMs: Number.POSITIVE_INFINITY }, 'latencyMs'],
  ])('refuses %s with INVALID_CONFIG naming the option', (_what, options, option) => {
    expect(() => createFakeProvider(options as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(`${option}:`) }),
    );
  });
});

describe('the fake behind a real dispatcher, as an app test uses it', () => {
  it('sends an OTP and reads the code back', async () => {
    const fake = createFakeProvider();
    const dispatcher = createDispatcher({ providers: [fake] });
    const sent = vi.fn();
    dispatcher.on('sent', sent);
    // Subscribed before sending, so the report can be matched to the dispatch id and reference.
    const delivered = vi.fn();
    dispatcher.on('delivered', delivered);
    const code = '731904';
    const result = await dispatcher.send({
      to: ALICE,
      body: `Your login code is ${code}`,
      reference: 'login-1',
    });
    expect(result).toMatchObject({ provider: 'fake', messageId: 'fake-1', to: ALICE, attempts: 1 });
    expect(fake.lastCode(ALICE)).toBe(code);
    expect(fake.lastMessage(ALICE)?.reference).toBe('login-1');
    expect(sent).toHaveBeenCalledWith(expect.objectContaining({ id: result.id, reference: 'login-1' }));

    dispatcher.report(fake.parseDeliveryReport!(fake.deliveryReport(result.messageId, 'delivered')));
    expect(delivered).toHaveBeenCalledWith(
      expect.objectContaining({ id: result.id, reference: 'login-1', to: ALICE }),
    );
    await dispatcher.close();
  });

  it('fails over from a failing fake to a second one, and retries scripted network errors', async () => {
    vi.useFakeTimers();
    const primary = createFakeProvider({ id: 'primary' });
    const backup = createFakeProvider({ id: 'backup' });
    primary.failWhen(ALICE, 'AUTHENTICATION');
    backup.failNext('NETWORK');
    const dispatcher = createDispatcher({ providers: [primary, backup] });
    const sending = dispatcher.send({ to: ALICE, body: 'Your code is 246810' });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(sending).resolves.toMatchObject({ provider: 'backup', messageId: 'backup-1', attempts: 3 });
    expect(primary.calls).toBe(1);
    expect(backup.calls).toBe(2);
    expect(backup.lastCode(ALICE)).toBe('246810');
    expect(primary.lastCode(ALICE)).toBeUndefined();
  });

  it('a latency beyond the dispatcher timeout ends in TIMEOUT', async () => {
    vi.useFakeTimers();
    const fake = createFakeProvider({ latencyMs: 60_000 });
    const dispatcher = createDispatcher({ providers: [fake], timeoutMs: 1000, retry: { retries: 0 } });
    const sending = failure(dispatcher.send({ to: ALICE, body: 'Your code is 1234' }));
    await vi.advanceTimersByTimeAsync(1000);
    expect((await sending).code).toBe('TIMEOUT');
    expect(fake.messages).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
