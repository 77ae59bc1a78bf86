import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcher, type DeliveryEvent, type Dispatcher, type OtpProvider } from '@otpkit/core';
import { createKaleyraProvider } from '@otpkit/provider-kaleyra';
import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { createTwilioProvider } from '@otpkit/provider-twilio';
import { createTwilioEmulator } from '@otpkit/provider-twilio/testing';
import { createVonageProvider } from '@otpkit/provider-vonage';
import { createVonageEmulator } from '@otpkit/provider-vonage/testing';
import { kaleyraWebhook } from '../kaleyra.js';
import { toNodeHandler } from '../node.js';
import { twilioWebhook } from '../twilio.js';
import { vonageWebhook } from '../vonage.js';
import { createWebhookHandler, type WebhookHandler } from '../webhook-handler.js';
import type { WebhookHandlerOptions } from '../webhook-options.js';
import type { WebhookProvider } from '../webhook-provider.js';
import { withCallbackUrl } from '../with-callback-url.js';

/** Test secrets, never real ones. */
export const KALEYRA_TOKEN = 'kaleyra-test-token-0123456789abcdef';
export const TWILIO_AUTH_TOKEN = 'twilio-test-auth-token-0123456789';
export const VONAGE_SIGNATURE_SECRET = 'vonage-test-signature-secret-0123';
export const SECRETS = [KALEYRA_TOKEN, TWILIO_AUTH_TOKEN, VONAGE_SIGNATURE_SECRET];
export const ACCOUNT_SID = `AC${'ab'.repeat(16)}`;
export const VENDORS = ['kaleyra', 'twilio', 'vonage'] as const;
export type Vendor = (typeof VENDORS)[number];

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
export async function vendorRig(vendor: Vendor, publicBase: string) {
  const publicUrl = `${publicBase}/otpkit/${vendor}`;
  if (vendor === 'kaleyra') {
    const emulator = createKaleyraEmulator({ sid: 'HXTEST00000IN', apiKey: 'kaleyra-key' });
    const served = await emulator.listen();
    const hook = kaleyraWebhook({ token: KALEYRA_TOKEN, publicUrl });
    const provider: OtpProvider = createKaleyraProvider({
      sid: 'HXTEST00000IN',
      apiKey: 'kaleyra-key',
      sender: 'KLRHXA',
      baseUrl: served.url,
      callbackUrl: hook.callbackUrl,
    });
    return { emulator, served, hook: hook as WebhookProvider, provider };
  }
  if (vendor === 'twilio') {
    const emulator = createTwilioEmulator({ accountSid: ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    const served = await emulator.listen();
    const hook = twilioWebhook({ authToken: TWILIO_AUTH_TOKEN, publicUrl });
    const twilio = createTwilioProvider({
      accountSid: ACCOUNT_SID,
      authToken: TWILIO_AUTH_TOKEN,
      from: '+15017122661',
      baseUrl: served.url,
    });
    return {
      emulator,
      served,
      hook: hook as WebhookProvider,
      provider: withCallbackUrl(twilio, hook.callbackUrl),
    };
  }
  const emulator = createVonageEmulator({
    apiKey: 'vonage-key',
    apiSecret: 'vonage-api-secret',
    signatureSecret: VONAGE_SIGNATURE_SECRET,
  });
  const served = await emulator.listen();
  const hook = vonageWebhook({ signatureSecret: VONAGE_SIGNATURE_SECRET, publicUrl });
  const vonage = createVonageProvider({
    apiKey: 'vonage-key',
    apiSecret: 'vonage-api-secret',
    from: 'Acme',
    baseUrl: served.url,
  });
  return {
    emulator,
    served,
    hook: hook as WebhookProvider,
    provider: withCallbackUrl(vonage, hook.callbackUrl),
  };
}

export type VendorRig = Awaited<ReturnType<typeof vendorRig>>;

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
