import { describe, expect, it } from 'vitest';
import { isOtpError, OtpError, type OtpErrorCode } from '../errors.js';
import type { OtpMessage, OtpProvider, SendReceipt } from '../types.js';
import { createDispatcher } from './index.js';

// Core must not depend on @otpkit/provider-fake: a small recording provider.
interface Recording extends OtpProvider {
  readonly sent: string[];
  failWith: OtpErrorCode | undefined;
}

function recording(id: string, log: string[]): Recording {
  const provider: Recording = {
    id,
    sent: [],
    failWith: undefined,
    send(message: OtpMessage): Promise<SendReceipt> {
      log.push(id);
      if (provider.failWith) {
        return Promise.reject(new OtpError(provider.failWith, `${id}: scripted`, { provider: id }));
      }
      provider.sent.push(message.to);
      return Promise.resolve({
        provider: id,
        messageId: `${id}-${provider.sent.length}`,
        to: message.to,
        acceptedAt: new Date(),
      });
    },
  };
  return provider;
}

const TO = '+14155550123';
const message = { to: TO, body: 'Your code is 482913' };

function setup(ids = ['a', 'b', 'c']) {
  const log: string[] = [];
  const providers = ids.map((id) => recording(id, log));
  const dispatcher = createDispatcher({ providers, retry: { retries: 0 }, breaker: false });
  return { log, providers, dispatcher };
}

describe('SendOptions.startWith', () => {
  it('tries the named provider first', async () => {
    const { dispatcher, log } = setup();
    const result = await dispatcher.send(message, { startWith: 'b' });
    expect(result.provider).toBe('b');
    expect(log).toEqual(['b']);
  });

  it('fails over from it to the providers after it, wrapping round to those before', async () => {
    const { dispatcher, log, providers } = setup();
    providers[1]!.failWith = 'PROVIDER_UNAVAILABLE';
    providers[2]!.failWith = 'PROVIDER_UNAVAILABLE';
    const failovers: string[] = [];
    dispatcher.on('failover', (event) => failovers.push(`${event.provider}->${event.nextProvider}`));
    const result = await dispatcher.send(message, { startWith: 'b' });
    expect(log).toEqual(['b', 'c', 'a']);
    expect(result.provider).toBe('a');
    expect(failovers).toEqual(['b->c', 'c->a']);
  });

  it('starting with the first provider keeps the usual order', async () => {
    const { dispatcher, log, providers } = setup();
    providers[0]!.failWith = 'NETWORK';
    await dispatcher.send(message, { startWith: 'a' });
    expect(log).toEqual(['a', 'b']);
  });

  it('leaves sends without it in the usual order, before and after one with it', async () => {
    const { dispatcher, log } = setup();
    await dispatcher.send(message);
    await dispatcher.send(message, { startWith: 'c' });
    await dispatcher.send(message);
    expect(log).toEqual(['a', 'c', 'a']);
  });

  it('the queued event already names the provider it starts with', async () => {
    const { dispatcher } = setup();
    const queued: string[] = [];
    dispatcher.on('queued', (event) => queued.push(event.provider));
    await dispatcher.send(message, { startWith: 'c' });
    expect(queued).toEqual(['c']);
  });

  it('follows the route of the number: rotates within it, ignores a provider the route does not use', async () => {
    const log: string[] = [];
    const providers = ['a', 'b', 'c'].map((id) => recording(id, log));
    const dispatcher = createDispatcher({
      providers,
      routes: [{ prefix: '+91', providers: ['c', 'a'] }],
      retry: { retries: 0 },
      breaker: false,
    });
    providers[0]!.failWith = 'PROVIDER_UNAVAILABLE';
    await dispatcher.send({ to: '+919876543210', body: 'Your code is 482913' }, { startWith: 'a' });
    expect(log).toEqual(['a', 'c']);
    log.length = 0;
    providers[0]!.failWith = undefined;
    await dispatcher.send({ to: '+919876543210', body: 'Your code is 482913' }, { startWith: 'b' });
    expect(log).toEqual(['c']);
  });

  it('refuses an id the dispatcher does not have with INVALID_INPUT, before anything is queued', async () => {
    const { dispatcher, log } = setup();
    let queued = 0;
    dispatcher.on('queued', () => queued++);
    const error = await dispatcher.send(message, { startWith: 'twilio' }).catch((caught: unknown) => caught);
    expect(isOtpError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as OtpError).message).toBe(
      "startWith: expected the id of one of this dispatcher's providers (a, b, c)",
    );
    expect((error as OtpError).issues).toEqual([{ path: 'startWith', message: (error as OtpError).message }]);
    const notString = await dispatcher
      .send(message, { startWith: 42 as unknown as string })
      .catch((caught: unknown) => caught);
    expect(isOtpError(notString, 'INVALID_INPUT')).toBe(true);
    expect(queued).toBe(0);
    expect(log).toEqual([]);
  });

  it('still validates the message first', async () => {
    const { dispatcher } = setup();
    const error = await dispatcher
      .send({ to: 'nope', body: 'x' }, { startWith: 'nope' })
      .catch((caught: unknown) => caught);
    expect(isOtpError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as OtpError).message).toMatch(/^Invalid OTP message: to:/);
  });
});

describe('providersFor', () => {
  it('lists every provider in order when there are no routes', () => {
    const { dispatcher } = setup();
    expect(dispatcher.providersFor(TO)).toEqual(['a', 'b', 'c']);
  });

  it('lists the providers of the longest matching route, else every provider', () => {
    const log: string[] = [];
    const dispatcher = createDispatcher({
      providers: ['a', 'b', 'c'].map((id) => recording(id, log)),
      routes: [
        { prefix: '+9', providers: ['b'] },
        { prefix: '+91', providers: ['c', 'a'] },
      ],
    });
    expect(dispatcher.providersFor('+919876543210')).toEqual(['c', 'a']);
    expect(dispatcher.providersFor('+971501234567')).toEqual(['b']);
    expect(dispatcher.providersFor(TO)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a non-string with INVALID_INPUT', () => {
    const { dispatcher } = setup();
    expect(() => dispatcher.providersFor(undefined as unknown as string)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
