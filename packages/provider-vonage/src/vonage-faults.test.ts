import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createVonageEmulator } from './testing.js';
import { createVonageProvider } from './vonage-provider.js';

// The real-socket fault suite of the conformance kit, against the Vonage emulator on a loopback port.
const credentials = { apiKey: 'vnfaults', apiSecret: 'Vonage-fault-suite-secret-4c2b' };

describeProviderFaults({
  name: 'vonage',
  setup: () => {
    const emulator = createVonageEmulator(credentials);
    return {
      emulator,
      create: (baseUrl) => createVonageProvider({ ...credentials, from: 'OTPKIT', baseUrl }),
      // Vonage throttles inside an HTTP 200: status 1, "Throttled".
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'status', status: '1' }),
      secrets: [credentials.apiKey, credentials.apiSecret],
    };
  },
});
