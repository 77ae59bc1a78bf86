import { expect, it } from 'vitest';
import { loginTour } from './login.js';

it('the login walk-through: wrong then right code, a resend through the second vendor, a refusal, a test number', async () => {
  const tour = await loginTour();
  expect(tour.statuses).toEqual(['pending', 'approved', 'approved']);
  expect(tour.providers).toEqual(['sms-first', 'sms-second']);
  expect(tour.refusal).toBe('max_sends');
  expect(tour.testNumber).toBe('approved');
});
