import { describeProviderFaults } from '@otpkit/provider-conformance';
import { create__Name__Emulator } from './__id__-emulator.js';
import { create__Name__Provider } from './__id__-provider.js';

// The real-socket fault suite of the conformance kit, against the emulator on a loopback port: the
// figures of docs/reliability.md, for __Name__.
const apiKey = '__id__-fault-suite-secret-key-0001';

describeProviderFaults({
  name: '__id__',
  setup: () => {
    const emulator = create__Name__Emulator({ apiKey });
    return {
      emulator,
      create: (baseUrl) => create__Name__Provider({ apiKey, baseUrl }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [apiKey],
    };
  },
});
