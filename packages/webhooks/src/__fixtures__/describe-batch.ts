import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, receiptRoute, type Vendor } from './rig.js';

/**
 * For vendors whose one call can carry many reports: `body(fields...)` makes such a call; the route
 * reports every one, and nothing when the token is wrong.
 */
export function describeBatchReceipts(
  vendor: Vendor,
  body: (...entries: Record<string, string>[]) => string,
) {
  const { statuses, receipt } = FIXTURES[vendor];
  describe(`${vendor} route with several reports in one call`, () => {
    let route: Awaited<ReturnType<typeof receiptRoute>>;
    beforeAll(async () => {
      route = await receiptRoute(vendor);
    });
    afterAll(() => route.close());

    it('reports every one, in order, with its dispatch id and reference', async () => {
      const sent = await Promise.all(
        ['a', 'b', 'c'].map((reference) =>
          route.dispatcher.send({ to: '+14155550123', body: 'Your code is 482913', reference }),
        ),
      );
      const entries = sent.map(({ messageId }, i) =>
        receipt(messageId, i === 1 ? statuses.undelivered : statuses.delivered),
      );
      const { url, init } = route.forge(route.url, {}, 'good');
      const answer = await fetch(url, { ...init, body: body(...entries) });
      expect(answer.status).toBe(204);
      expect(route.reports.map(({ event, reference }) => [event, reference])).toEqual([
        ['delivered', 'a'],
        ['undelivered', 'b'],
        ['delivered', 'c'],
      ]);
      const forged = route.forge(route.url, {}, 'wrong-secret');
      expect((await fetch(forged.url, { ...forged.init, body: body(...entries) })).status).toBe(401);
      expect(route.reports).toHaveLength(3);
    });
  });
}
