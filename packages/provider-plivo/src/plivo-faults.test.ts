import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createPlivoEmulator } from './plivo-emulator.js';
import { createPlivoProvider } from './plivo-provider.js';

// The real-socket fault suite of the conformance kit, against the emulator on a loopback port: the
// figures of docs/reliability.md, for Plivo.
const credentials = { authId: 'MAFAULTS000000000001', authToken: 'Plivo-fault-suite-secret-token-0001' };

describeProviderFaults({
  name: 'plivo',
  setup: () => {
    const emulator = createPlivoEmulator(credentials);
    return {
      emulator,
      create: (baseUrl) => createPlivoProvider({ ...credentials, src: '+14155550100', baseUrl }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [credentials.authToken],
    };
  },
});
