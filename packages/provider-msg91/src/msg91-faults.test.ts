import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createMsg91Emulator } from './msg91-emulator.js';
import { createMsg91Provider } from './msg91-provider.js';

// The real-socket fault suite of the conformance kit, against the emulator on a loopback port: the
// figures of docs/reliability.md, for MSG91.
const authKey = 'msg91-fault-suite-secret-key-0001';
const TEMPLATE = '6650a1b2c3d4e5f60718293a';

describeProviderFaults({
  name: 'msg91',
  setup: () => {
    const emulator = createMsg91Emulator({ authKey });
    return {
      emulator,
      // The suite's warm-up sends bodies without a code: the whole body goes to one template variable.
      create: (baseUrl) =>
        createMsg91Provider({
          authKey,
          templateId: TEMPLATE,
          variables: ({ body }) => ({ VAR1: body }),
          baseUrl,
        }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [authKey],
    };
  },
});
