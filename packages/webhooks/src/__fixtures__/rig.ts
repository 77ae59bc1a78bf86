import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcher, type DeliveryEvent, type Dispatcher } from '@otpkit/core';
import { toNodeHandler } from '../node.js';
import { createWebhookHandler, type WebhookHandler } from '../webhook-handler.js';
import type { WebhookHandlerOptions } from '../webhook-options.js';
import type { VendorFixture, VendorRig } from './vendor-fixture.js';
import { infobip } from './vendors/infobip.js';
import { kaleyra } from './vendors/kaleyra.js';
import { msg91 } from './vendors/msg91.js';
import { plivo } from './vendors/plivo.js';
import { sinch } from './vendors/sinch.js';
import { telnyx } from './vendors/telnyx.js';
import { twilio } from './vendors/twilio.js';
import { vonage } from './vendors/vonage.js';

export type { VendorRig } from './vendor-fixture.js';
export { INFOBIP_TOKEN } from './vendors/infobip.js';
export { KALEYRA_TOKEN } from './vendors/kaleyra.js';
export { MSG91_TOKEN } from './vendors/msg91.js';
export { PLIVO_AUTH_TOKEN } from './vendors/plivo.js';
export { SINCH_WEBHOOK_SECRET } from './vendors/sinch.js';
export { ACCOUNT_SID, TWILIO_AUTH_TOKEN } from './vendors/twilio.js';
export { VONAGE_SIGNATURE_SECRET } from './vendors/vonage.js';

/** Every vendor with a webhook adapter, and what its tests need. */
export const FIXTURES = { kaleyra, twilio, vonage, msg91, plivo, sinch, infobip, telnyx } satisfies Record<
  string,
  VendorFixture
>;
export type Vendor = keyof typeof FIXTURES;
export const VENDORS = Object.keys(FIXTURES) as Vendor[];
/** Every test secret, never a real one: none may show in an answer. */
export const SECRETS = Object.values(FIXTURES).flatMap((fixture) => fixture.secrets);

/** A real HTTP server running a handler through the Node adapter; the handler is set once the URL is known. */
export async function serveHandler(): Promise<{
  url: string;
  use(handler: WebhookHandler): void;
  close(): Promise<void>;
}> {
  let node: ReturnType<typeof toNodeHandler> | undefined;
  const server = http.createServer((request, response) => node?.(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    use(handler) {
      node = toNodeHandler(handler);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Each vendor's emulator on a real port, its provider sending there, and its webhook adapter. */
export function vendorRig(vendor: Vendor, publicBase: string): Promise<VendorRig> {
  return FIXTURES[vendor].rig(`${publicBase}/otpkit/${vendor}`);
}

/** The code in the last SMS a vendor's emulator received (in `body`, `Body`, `text` or `otp`). */
export function lastCode(rig: VendorRig): string | undefined {
  const text = JSON.stringify(rig.emulator.requests.at(-1) ?? {});
  return /"(?:body|Body|text|otp)":"[^"]*?\b(\d{6})\b/.exec(text)?.[1];
}

/** Every `delivered` / `undelivered` event of a dispatcher, in order. */
export function recordReports(dispatcher: Dispatcher): (DeliveryEvent & { event: string })[] {
  const seen: (DeliveryEvent & { event: string })[] = [];
  dispatcher.on('delivered', (event) => seen.push({ ...event, event: 'delivered' }));
  dispatcher.on('undelivered', (event) => seen.push({ ...event, event: 'undelivered' }));
  return seen;
}

/** One vendor behind a real handler server: dispatcher, emulator, handler, reports. */
export async function receiptRoute(vendor: Vendor, extra: Partial<WebhookHandlerOptions> = {}) {
  const server = await serveHandler();
  const rig = await vendorRig(vendor, server.url);
  const dispatcher = createDispatcher({ providers: [rig.provider], retry: { retries: 0 }, concurrency: 64 });
  const reports = recordReports(dispatcher);
  const handler = createWebhookHandler({ dispatcher, providers: [rig.hook], ...extra });
  server.use(handler);
  return {
    ...rig,
    server,
    dispatcher,
    reports,
    handler,
    url: `${server.url}/otpkit/${vendor}`,
    async close() {
      await dispatcher.close();
      await rig.served.close();
      await server.close();
    },
  };
}
