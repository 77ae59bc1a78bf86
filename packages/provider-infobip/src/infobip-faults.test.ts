import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createInfobipEmulator } from './infobip-emulator.js';
import { createInfobipProvider } from './infobip-provider.js';

// The real-socket fault suite of the conformance kit, against the emulator on a loopback port: the
// figures of docs/reliability.md, for Infobip.
const apiKey = 'infobip-fault-suite-secret-key-0001';

describeProviderFaults({
  name: 'infobip',
  setup: () => {
    const emulator = createInfobipEmulator({ apiKey });
    return {
      emulator,
      create: (baseUrl) => createInfobipProvider({ apiKey, baseUrl }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [apiKey],
    };
  },
});
