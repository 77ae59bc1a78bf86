import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createMsg91Emulator } from './msg91-emulator.js';
import { createMsg91Provider } from './msg91-provider.js';

// The real-socket fault suite of the conformance kit, against the emulator on a loopback port: the
// figures of docs/reliability.md, for Msg91.
const apiKey = 'msg91-fault-suite-secret-key-0001';

describeProviderFaults({
  name: 'msg91',
  setup: () => {
    const emulator = createMsg91Emulator({ apiKey });
    return {
      emulator,
      create: (baseUrl) => createMsg91Provider({ apiKey, baseUrl }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [apiKey],
    };
  },
});
