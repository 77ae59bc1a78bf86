import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createTelnyxEmulator } from './telnyx-emulator.js';
import { createTelnyxProvider } from './telnyx-provider.js';

// The real-socket fault suite of the conformance kit, against the emulator on a loopback port: the
// figures of docs/reliability.md, for Telnyx.
const apiKey = 'KEY-telnyx-fault-suite-secret-0001';

describeProviderFaults({
  name: 'telnyx',
  setup: () => {
    const emulator = createTelnyxEmulator({ apiKey });
    return {
      emulator,
      create: (baseUrl) => createTelnyxProvider({ apiKey, from: '+15005550006', baseUrl }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [apiKey],
    };
  },
});
