import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, receiptRoute, SECRETS, type Vendor } from './rig.js';
import type { ForgeMode } from './vendor-fixture.js';

/** The cases every vendor's route passes, against a real server running the handler. */
export function describeReceiptRoute(vendor: Vendor): void {
  const { statuses, receipt } = FIXTURES[vendor];
  describe(`${vendor} route on a real server`, () => {
    let route: Awaited<ReturnType<typeof receiptRoute>>;
    beforeAll(async () => {
      route = await receiptRoute(vendor);
    });
    afterAll(() => route.close());
    const send = async (reference: string) =>
      (await route.dispatcher.send({ to: '+14155550123', body: 'Your code is 482913', reference })).messageId;
    const call = async (mode: ForgeMode, fields: Record<string, string>) => {
      const { url, init } = route.forge(route.url, fields, mode);
      const response = await fetch(url, init);
      return { status: response.status, text: await response.text() };
    };

    it("reports the emulator's receipt with the send's dispatch id and reference (204)", async () => {
      const messageId = await send('ref-delivered');
      const before = route.reports.length;
      expect(await route.emulator.deliver(messageId, statuses.delivered)).toEqual({ status: 204 });
      const report = route.reports.slice(before);
      expect(report).toHaveLength(1);
      expect(report[0]).toMatchObject({
        event: 'delivered',
        messageId,
        provider: vendor,
        reference: 'ref-delivered',
      });
      expect(report[0]!.id).toEqual(expect.any(String));
      expect((await route.emulator.deliver(messageId, statuses.undelivered)).status).toBe(204);
      expect(route.reports.at(-1)).toMatchObject({ event: 'undelivered', messageId });
    });

    it('accepts a callback made like the vendor (the 401 cases below each break one thing of it)', async () => {
      const messageId = await send('ref-forged');
      const before = route.reports.length;
      expect((await call('good', receipt(messageId, statuses.delivered))).status).toBe(204);
      expect(route.reports.slice(before)).toMatchObject([{ event: 'delivered', messageId }]);
    });

    for (const mode of ['tampered', 'wrong-secret', 'missing'] as const) {
      it(`answers 401 to a ${mode} signature or token and reports nothing`, async () => {
        const before = route.reports.length;
        const answer = await call(mode, receipt('forged-1', statuses.delivered));
        expect(answer.status).toBe(401);
        for (const secret of SECRETS) expect(answer.text).not.toContain(secret);
        expect(answer.text).not.toContain('forged-1');
        expect(route.reports.length).toBe(before);
      });
    }

    it('answers 400 to an authentic payload that is no receipt, and reports nothing', async () => {
      const before = route.reports.length;
      const answer = await call('good', { garbage: '\u0000\u00ff%%%', other: 'x'.repeat(50) });
      expect(answer.status).toBe(400);
      expect(answer.text).not.toContain('xxxxx');
      expect(route.reports.length).toBe(before);
    });

    it('answers 413 past 64 KiB (streamed, without Content-Length too), and reports nothing', async () => {
      const before = route.reports.length;
      const fields = { ...receipt('big-1', statuses.delivered), pad: 'p'.repeat(65 * 1024) };
      const { url, init } = route.forge(route.url, fields, 'good');
      expect((await fetch(url, init)).status).toBe(413);
      const body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 70; i++) controller.enqueue(new TextEncoder().encode('a'.repeat(1024)));
          controller.close();
        },
      });
      const streamed = await fetch(url, { ...init, body, duplex: 'half' } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(route.reports.length).toBe(before);
    });

    it('answers 405 to another method and 404 to another path', async () => {
      expect((await fetch(route.url, { method: 'PUT' })).status).toBe(405);
      expect((await fetch(`${route.server.url}/otpkit/nobody`, { method: 'POST' })).status).toBe(404);
    });

    it('reports each of 1 000 concurrent receipts exactly once', async () => {
      const ids = await Promise.all(Array.from({ length: 1000 }, (_, i) => send(`bulk-${i}`)));
      const before = route.reports.length;
      const answers = await Promise.all(ids.map((id) => route.emulator.deliver(id, statuses.delivered)));
      expect(answers.every((answer) => answer.status === 204)).toBe(true);
      const got = route.reports.slice(before);
      expect(got).toHaveLength(1000);
      expect(new Set(got.map((event) => event.messageId))).toEqual(new Set(ids));
      expect(new Set(got.map((event) => event.reference)).size).toBe(1000);
    }, 60_000);
  });
}
