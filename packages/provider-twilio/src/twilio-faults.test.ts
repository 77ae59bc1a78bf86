import { describeProviderFaults } from '@otpkit/provider-conformance';
import { createTwilioEmulator } from './testing.js';
import { createTwilioProvider } from './twilio-provider.js';

// The real-socket fault suite of the conformance kit, against the Twilio emulator on a loopback port.
const accountSid = `AC${'fa017000'.repeat(4)}`;
const authToken = 'twilio-fault-suite-auth-token-7e1d';

describeProviderFaults({
  name: 'twilio',
  setup: () => {
    const emulator = createTwilioEmulator({ accountSid, authToken });
    return {
      emulator,
      create: (baseUrl) => createTwilioProvider({ accountSid, authToken, from: '+15017122661', baseUrl }),
      behave: (scenario) =>
        scenario === 'unavailable'
          ? emulator.failNext({ kind: 'unavailable', status: 503 })
          : emulator.failNext({ kind: 'rate-limit' }),
      secrets: [authToken],
    };
  },
});
