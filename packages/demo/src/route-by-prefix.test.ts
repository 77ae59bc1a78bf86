// Routing by destination prefix across real vendor packages, each played by its msw emulator: +91
// goes to MSG91 (India's DLT templates), every other number to Telnyx with Plivo as the fallback.
// Each case asserts which vendor took the request, and that a failing Telnyx hands the send to Plivo
// while a Telnyx refusal of the message itself (a recipient who sent STOP) does not.
import { createOtpKit, type Dispatcher, isOtpError, type OtpKitConfig } from '@otpkit/core';
import { msg91Plugin } from '@otpkit/provider-msg91';
import { createMsg91Emulator } from '@otpkit/provider-msg91/testing';
import { plivoPlugin } from '@otpkit/provider-plivo';
import { createPlivoEmulator } from '@otpkit/provider-plivo/testing';
import { telnyxPlugin } from '@otpkit/provider-telnyx';
import { createTelnyxEmulator } from '@otpkit/provider-telnyx/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const MSG91 = { authKey: 'msg91-route-authkey', templateId: 'otp_login_v1' };
const TELNYX = { apiKey: 'KEY-telnyx-route', from: '+15005550006' };
const PLIVO = { authId: 'MAROUTE0000000000001', authToken: 'plivo-route-token', src: '+15005550007' };

const msg91 = createMsg91Emulator({ authKey: MSG91.authKey });
const telnyx = createTelnyxEmulator({ apiKey: TELNYX.apiKey, optedOut: ['+14155550999'] });
const plivo = createPlivoEmulator({ authId: PLIVO.authId, authToken: PLIVO.authToken });
const emulators = { msg91, telnyx, plivo };
const server = setupServer(...msg91.handlers, ...telnyx.handlers, ...plivo.handlers);
const plugins = [msg91Plugin, telnyxPlugin, plivoPlugin];
const opened: Dispatcher[] = [];

/** India through MSG91; everyone else through Telnyx, then Plivo. */
const CONFIG: OtpKitConfig = {
  provider: 'telnyx',
  fallback: ['plivo'],
  routes: [{ prefix: '+91', provider: 'msg91' }],
  providers: { msg91: MSG91, telnyx: TELNYX, plivo: PLIVO },
  retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
};

function kit(): Dispatcher {
  const dispatcher = createOtpKit(CONFIG, { plugins });
  opened.push(dispatcher);
  return dispatcher;
}
const send = (dispatcher: Dispatcher, to: string) =>
  dispatcher.send({ to, body: 'Your login code is 482913' });
/** How many messages each emulator accepted. */
const taken = () => ({ msg91: msg91.accepted(), telnyx: telnyx.accepted(), plivo: plivo.accepted() });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((dispatcher) => dispatcher.close()));
  for (const emulator of Object.values(emulators)) emulator.reset();
});
afterAll(() => server.close());

describe('routing by prefix: +91 → MSG91, the rest → Telnyx, Plivo as fallback', () => {
  it('builds the three providers, the top-level order first', () => {
    expect(kit().providers).toEqual(['telnyx', 'plivo', 'msg91']);
  });

  it('sends +91 through MSG91 and nothing else', async () => {
    const sent = await send(kit(), '+919876543210');
    expect(sent.provider).toBe('msg91');
    expect(msg91.accepted('+919876543210')).toBe(1);
    expect(taken()).toEqual({ msg91: 1, telnyx: 0, plivo: 0 });
    expect(msg91.requests[0]!.headers.authkey).toBe('[redacted]');
  });

  it('sends every other number through Telnyx', async () => {
    const dispatcher = kit();
    for (const to of ['+14155550123', '+447700900123', '+4915112345678']) {
      expect((await send(dispatcher, to)).provider).toBe('telnyx');
      expect(telnyx.accepted(to)).toBe(1);
    }
    expect(taken()).toEqual({ msg91: 0, telnyx: 3, plivo: 0 });
  });

  it('hands a send to Plivo when Telnyx is down, after its retry', async () => {
    telnyx.failNext({ kind: 'unavailable', status: 503 }, 2);
    const dispatcher = kit();
    const failovers: string[] = [];
    dispatcher.on('failover', (event) => failovers.push(`${event.provider}>${event.nextProvider}`));
    const sent = await send(dispatcher, '+14155550123');
    expect(sent.provider).toBe('plivo');
    expect(plivo.accepted('+14155550123')).toBe(1);
    expect(telnyx.requests).toHaveLength(2); // the first attempt and its one retry
    expect(failovers).toEqual(['telnyx>plivo']);
    expect(taken()).toEqual({ msg91: 0, telnyx: 0, plivo: 1 });
  });

  it('hands a send to Plivo at once when Telnyx cannot be reached, or refuses the key', async () => {
    const dispatcher = kit();
    telnyx.failNext({ kind: 'network' });
    expect((await send(dispatcher, '+14155550124')).provider).toBe('plivo');
    telnyx.failNext({ kind: 'error', code: '10009', title: 'Authentication failed', status: 401 });
    expect((await send(dispatcher, '+14155550125')).provider).toBe('plivo');
    expect(telnyx.requests).toHaveLength(2);
    expect(taken()).toEqual({ msg91: 0, telnyx: 0, plivo: 2 });
  });

  it('does not hand a recipient who sent STOP to Plivo, even when Telnyx answers 403', async () => {
    const dispatcher = kit();
    const optedOut = await send(dispatcher, '+14155550999').catch((error: unknown) => error);
    expect(isOtpError(optedOut, 'REJECTED')).toBe(true);
    expect(optedOut).toMatchObject({ provider: 'telnyx', providerCode: '40300' });
    telnyx.failNext({ kind: 'error', code: '40300', title: 'Blocked due to STOP message', status: 403 });
    const at403 = await send(dispatcher, '+14155550126').catch((error: unknown) => error);
    expect(at403).toMatchObject({ code: 'REJECTED', provider: 'telnyx', status: 403 });
    expect(taken()).toEqual({ msg91: 0, telnyx: 0, plivo: 0 });
    expect(plivo.requests).toHaveLength(0);
  });

  it('keeps +91 off Telnyx and Plivo even when MSG91 is down: the route has no fallback', async () => {
    msg91.failNext({ kind: 'unavailable', status: 503 }, 2);
    const failed = await send(kit(), '+919876543210').catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', provider: 'msg91' });
    expect(msg91.requests).toHaveLength(2);
    expect(telnyx.requests).toHaveLength(0);
    expect(plivo.requests).toHaveLength(0);
  });
});
