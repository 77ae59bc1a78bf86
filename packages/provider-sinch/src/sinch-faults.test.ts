import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createSinchEmulator } from './sinch-emulator.js';
import { createSinchProvider } from './sinch-provider.js';

// The real-socket fault suite of the conformance kit, against the emulator on a loopback port: the
// figures of docs/reliability.md, for Sinch.
const credentials = { servicePlanId: 'faultsuiteplan0001', apiToken: 'sinch-fault-suite-token-0001' };

describeProviderFaults({
  name: 'sinch',
  setup: () => {
    const emulator = createSinchEmulator(credentials);
    return {
      emulator,
      create: (baseUrl) => createSinchProvider({ ...credentials, from: '+12015550100', baseUrl }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [credentials.apiToken],
    };
  },
});
