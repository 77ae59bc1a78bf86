import { createDispatcher, type DeliveryEvent } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { heading, printLifecycle } from './print.js';

/** What the receipt walk-through saw, for its test. */
export interface ReceiptTour {
  dispatchId: string;
  events: (Pick<DeliveryEvent, 'id' | 'reference' | 'messageId'> & { event: string })[];
}

/**
 * A delivery receipt coming back: the fake vendor accepts an SMS, then plays its delivery receipt
 * (`fake.deliver`, as a webhook would hand it to `dispatcher.report`), and the dispatcher's `delivered`
 * event carries the send's dispatch id and reference; then one that did not arrive.
 */
export async function receiptTour(): Promise<ReceiptTour> {
  const fake = createFakeProvider({ id: 'fake' });
  const dispatcher = createDispatcher({ providers: [fake] });
  printLifecycle(dispatcher);
  fake.reportTo(dispatcher);
  const events: ReceiptTour['events'] = [];
  for (const event of ['delivered', 'undelivered'] as const) {
    dispatcher.on(event, ({ id, reference, messageId }) =>
      events.push({ event, messageId, ...(id ? { id } : {}), ...(reference ? { reference } : {}) }),
    );
  }

  heading('A delivery receipt comes back: the vendor calls back, the dispatcher emits "delivered"');
  const sent = await dispatcher.send({
    to: '+14155550123',
    body: 'Your login code is 482913',
    reference: 'login-7',
  });
  await fake.deliver(sent.messageId, 'delivered');

  heading('Another SMS never reaches the phone: its receipt says "undelivered"');
  const lost = await dispatcher.send({
    to: '+14155550124',
    body: 'Your login code is 190377',
    reference: 'login-8',
  });
  await fake.deliver(lost.messageId, 'undelivered', 'ABSENT_SUBSCRIBER');
  console.log(
    '         with @otpkit/verify and @otpkit/webhooks, that receipt resends once through the next vendor',
  );

  await dispatcher.close();
  return { dispatchId: sent.id, events };
}
