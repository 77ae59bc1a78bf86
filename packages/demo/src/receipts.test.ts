import { expect, it, vi } from 'vitest';
import { receiptTour } from './receipts.js';

it('the receipt walk-through: a delivered and an undelivered event, each with its dispatch id and reference', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const tour = await receiptTour();
  log.mockRestore();
  expect(tour.events).toEqual([
    { event: 'delivered', messageId: 'fake-1', id: tour.dispatchId, reference: 'login-7' },
    { event: 'undelivered', messageId: 'fake-2', id: expect.any(String), reference: 'login-8' },
  ]);
  expect(tour.events[1]!.id).not.toBe(tour.dispatchId);
});
