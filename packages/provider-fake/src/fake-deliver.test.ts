import { createDispatcher, type DeliveryEvent, type DeliveryReport, isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { createFakeProvider } from './fake-provider.js';

describe('fake.deliver(): the delivery receipt, to dispatcher.report', () => {
  it('a delivered receipt reaches the dispatcher as a "delivered" event with the dispatch id and reference', async () => {
    const fake = createFakeProvider();
    const dispatcher = createDispatcher({ providers: [fake] });
    fake.reportTo(dispatcher);
    const events: (DeliveryEvent & { event: string })[] = [];
    dispatcher.on('delivered', (event) => events.push({ ...event, event: 'delivered' }));
    dispatcher.on('undelivered', (event) => events.push({ ...event, event: 'undelivered' }));
    const sent = await dispatcher.send({
      to: '+14155550123',
      body: '482913 is your code',
      reference: 'login-7',
    });

    const report = await fake.deliver(sent.messageId, 'delivered');
    expect(report).toMatchObject({
      provider: 'fake',
      messageId: sent.messageId,
      status: 'delivered',
      to: '+14155550123',
    });
    await fake.deliver(sent.messageId, 'undelivered', 'E-ABSENT');
    expect(events).toMatchObject([
      {
        event: 'delivered',
        id: sent.id,
        reference: 'login-7',
        messageId: sent.messageId,
        report: { status: 'delivered' },
      },
      {
        event: 'undelivered',
        id: sent.id,
        reference: 'login-7',
        to: '+14155550123',
        report: { status: 'undelivered', errorCode: 'E-ABSENT' },
      },
    ]);
    await dispatcher.close();
  });

  it("waits for the target's report() (a verifier's store) and keeps the target over reset()", async () => {
    const fake = createFakeProvider({ id: 'sms' });
    const seen: DeliveryReport[] = [];
    let stored = false;
    fake.reportTo({
      report: async (report) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(report);
        stored = true;
      },
    });
    const { messageId } = await fake.send(
      { to: '+14155550124', body: '1234' },
      { signal: new AbortController().signal, attempt: 1 },
    );
    await fake.deliver(messageId, 'pending');
    expect(stored).toBe(true);
    expect(seen).toMatchObject([
      { provider: 'sms', messageId: 'sms-1', status: 'pending', to: '+14155550124' },
    ]);
    fake.reset();
    const again = await fake.send(
      { to: '+14155550124', body: '1234' },
      { signal: new AbortController().signal, attempt: 1 },
    );
    await fake.deliver(again.messageId, 'delivered');
    expect(seen).toHaveLength(2);
  });

  it('refuses a message id it did not accept, a deliver() before reportTo(), and a target without report()', async () => {
    const fake = createFakeProvider();
    const before = await fake.deliver('fake-1', 'delivered').catch((error: unknown) => error);
    expect(isOtpError(before, 'INVALID_CONFIG')).toBe(true);
    const reported: DeliveryReport[] = [];
    fake.reportTo({ report: (report) => reported.push(report) });
    const unknown = await fake.deliver('fake-99', 'delivered').catch((error: unknown) => error);
    expect(isOtpError(unknown, 'INVALID_INPUT') && unknown.provider).toBe('fake');
    expect(reported).toEqual([]);
    expect(() => fake.reportTo({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
