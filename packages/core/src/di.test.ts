// An app loads the Reflect polyfill before tsyringe; the di entry loads it too, but import sorting puts
// 'tsyringe' before './di.js', and tsyringe refuses to load without it.
import 'reflect-metadata';
import { container } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { registerDispatcher } from './di.js';
import { Dispatcher } from './dispatcher/index.js';
import { OTP_DISPATCHER_OPTIONS, OTP_PROVIDERS } from './tokens.js';
import type { OtpMessage, OtpProvider } from './types.js';

const message: OtpMessage = { to: '+919876543210', body: 'Your code is 482913' };

/** A provider that records the recipients it was given. */
function recording(id: string): OtpProvider & { sent: string[] } {
  const sent: string[] = [];
  return {
    id,
    sent,
    async send(msg) {
      sent.push(msg.to);
      return { provider: id, messageId: `${id}-${sent.length}`, to: msg.to, acceptedAt: new Date() };
    },
  };
}

/** A root of its own, so no test leaks registrations into tsyringe's global container. */
const freshRoot = () => container.createChildContainer();

describe('registerDispatcher', () => {
  it('lets the container resolve a Dispatcher built from the registered providers', async () => {
    const real = recording('real');
    const root = registerDispatcher(freshRoot(), { providers: [real] });
    const dispatcher = root.resolve(Dispatcher);
    expect(dispatcher).toBeInstanceOf(Dispatcher);
    expect(dispatcher.providers).toEqual(['real']);
    const result = await dispatcher.send(message);
    expect(result.provider).toBe('real');
    expect(real.sent).toEqual([message.to]);
  });

  it('resolves the same instance twice from the same container', () => {
    const root = registerDispatcher(freshRoot(), { providers: [recording('real')] });
    expect(root.resolve(Dispatcher)).toBe(root.resolve(Dispatcher));
  });

  it('gives a child that registers its own providers its own dispatcher; the parent is unchanged', async () => {
    const real = recording('real');
    const fake = recording('fake');
    const root = registerDispatcher(freshRoot(), { providers: [real] });
    const parentDispatcher = root.resolve(Dispatcher);

    const child = root.createChildContainer();
    child.register(OTP_PROVIDERS, { useValue: [fake] });
    const childDispatcher = child.resolve(Dispatcher);
    expect(childDispatcher).not.toBe(parentDispatcher);
    expect(childDispatcher.providers).toEqual(['fake']);
    expect(child.resolve(Dispatcher)).toBe(childDispatcher);

    await childDispatcher.send(message);
    expect(fake.sent).toHaveLength(1);
    expect(real.sent).toHaveLength(0);

    expect(root.resolve(Dispatcher)).toBe(parentDispatcher);
    expect(parentDispatcher.providers).toEqual(['real']);
    await parentDispatcher.send(message);
    expect(real.sent).toHaveLength(1);
    expect(fake.sent).toHaveLength(1);
  });

  it('shares the parent dispatcher with a child that overrides nothing (one queue, one concurrency limit)', () => {
    const root = registerDispatcher(freshRoot(), { providers: [recording('real')] });
    const child = root.createChildContainer();
    expect(child.resolve(Dispatcher)).toBe(root.resolve(Dispatcher));
  });

  it('works when the child is created before the parent resolved anything', () => {
    const root = registerDispatcher(freshRoot(), { providers: [recording('real')] });
    const child = root.createChildContainer();
    child.register(OTP_PROVIDERS, { useValue: [recording('fake')] });
    expect(child.resolve(Dispatcher).providers).toEqual(['fake']);
    expect(root.resolve(Dispatcher).providers).toEqual(['real']);
  });

  it('honours OTP_DISPATCHER_OPTIONS (given to registerDispatcher or registered by the app)', () => {
    const slow: OtpProvider = { id: 'slow', send: () => new Promise(() => {}) };
    const root = registerDispatcher(freshRoot(), {
      providers: [slow],
      options: { concurrency: 2, maxQueue: 1 },
    });
    const dispatcher = root.resolve(Dispatcher);
    dispatcher.enqueue(message);
    dispatcher.enqueue(message);
    dispatcher.enqueue(message);
    expect(dispatcher.inFlight).toBe(2);
    expect(dispatcher.queued).toBe(1);
    expect(() => dispatcher.enqueue(message)).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }));

    const app = freshRoot();
    app.register(OTP_PROVIDERS, { useValue: [slow] });
    app.register(OTP_DISPATCHER_OPTIONS, { useValue: { concurrency: 1, maxQueue: 0 } });
    registerDispatcher(app);
    const appDispatcher = app.resolve(Dispatcher);
    appDispatcher.enqueue(message);
    expect(() => appDispatcher.enqueue(message)).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }));
  });

  it('a child inherits the parent options with its own providers', () => {
    const slow = (id: string): OtpProvider => ({ id, send: () => new Promise(() => {}) });
    const root = registerDispatcher(freshRoot(), {
      providers: [slow('real')],
      options: { concurrency: 1, maxQueue: 0 },
    });
    const child = root.createChildContainer();
    child.register(OTP_PROVIDERS, { useValue: [slow('fake')] });
    const dispatcher = child.resolve(Dispatcher);
    dispatcher.enqueue(message);
    expect(() => dispatcher.enqueue(message)).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }));
  });

  it('throws INVALID_CONFIG on resolve when the providers are wrong', () => {
    const root = registerDispatcher(freshRoot(), { providers: [] });
    expect(() => root.resolve(Dispatcher)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('fails to resolve when no providers were registered', () => {
    const root = registerDispatcher(freshRoot());
    expect(() => root.resolve(Dispatcher)).toThrow();
  });

  it('does not touch the global container', () => {
    registerDispatcher(freshRoot(), { providers: [recording('real')] });
    expect(container.isRegistered(Dispatcher)).toBe(false);
    expect(container.isRegistered(OTP_PROVIDERS)).toBe(false);
  });
});
