import { createDispatcher } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { expect, it } from 'vitest';
import { short } from './print.js';

it('shows the part of a dispatch id that tells sends apart, not the prefix they share', async () => {
  const dispatcher = createDispatcher({ providers: [createFakeProvider()] });
  const message = { to: '+14155550123', body: 'Your code is 482913' };
  const ids = await Promise.all([1, 2, 3].map(() => dispatcher.send(message).then((result) => result.id)));
  await dispatcher.close();
  const shown = ids.map(short);
  expect(new Set(shown).size).toBe(3);
  for (const [index, id] of ids.entries()) expect(id.endsWith(shown[index]!.split('-')[1]!)).toBe(true);
  expect(shown[0]!.length).toBeLessThanOrEqual(12);
});
