import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createKaleyraProvider } from './kaleyra-provider.js';
import { createKaleyraEmulator } from './testing.js';

// The real-socket fault suite of the conformance kit, against the Kaleyra emulator on a loopback port.
const credentials = { sid: 'HXFAULT0001IN', apiKey: 'Ak-fault-suite-9f3c1e7d5b2a' };

describeProviderFaults({
  name: 'kaleyra',
  setup: () => {
    const emulator = createKaleyraEmulator(credentials);
    return {
      emulator,
      create: (baseUrl) => createKaleyraProvider({ ...credentials, baseUrl }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [credentials.apiKey],
    };
  },
});
