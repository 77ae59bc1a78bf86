import {
  CONFORMANCE_RETRY_AFTER_SECONDS,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { createVonageEmulator } from './testing.js';
import {
  resolveVonageOptions,
  VONAGE_DEFAULT_BASE_URL,
  type VonageProviderOptions,
} from './vonage-options.js';
import { vonagePlugin } from './vonage-plugin.js';
import { createVonageProvider } from './vonage-provider.js';

describeProviderConformance({
  name: 'vonage',
  setup() {
    const credentials = { apiKey: 'vnconform', apiSecret: 'Vonage-conformance-secret-0001' };
    const emulator = createVonageEmulator(credentials);
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      provider: createVonageProvider({ ...credentials, from: 'OTPKIT' }),
      secrets: [credentials.apiKey, credentials.apiSecret],
      behave(scenario) {
        switch (scenario) {
          case 'auth-refused':
            // Vonage refuses credentials inside an HTTP 200: status 4, "Bad Credentials".
            return void emulator.failNext({ kind: 'status', status: '4' });
          case 'rate-limited':
            // Vonage throttles inside an HTTP 200 too: status 1, "Throttled", without a delay.
            return void emulator.failNext({ kind: 'status', status: '1' });
          case 'rate-limited-with-delay':
            return void emulator.failNext({
              kind: 'rate-limit',
              retryAfter: CONFORMANCE_RETRY_AFTER_SECONDS,
            });
          case 'unavailable':
            return void emulator.failNext({ kind: 'unavailable', status: 503 });
          case 'network-failure':
            return void emulator.failNext({ kind: 'network' });
          case 'malformed-reply':
            return void emulator.failNext({ kind: 'malformed', status: 200 });
          case 'rejected':
            // Status 7: the recipient is on the barred list.
            return void emulator.failNext({ kind: 'status', status: '7' });
          case 'hang':
            return void emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
        }
      },
      deliveryReports: {
        // A GET webhook: the receipt in the query.
        delivered: (messageId) =>
          new URLSearchParams({
            messageId,
            msisdn: '14155550123',
            to: 'OTPKIT',
            'network-code': '310260',
            price: '0.00750000',
            status: 'delivered',
            scts: '2401151230',
            'err-code': '0',
            'message-timestamp': '2024-01-15 12:30:05',
          }),
        // A POST-JSON webhook.
        failed: (messageId) => ({
          messageId,
          msisdn: '14155550123',
          to: 'OTPKIT',
          status: 'failed',
          'err-code': '6',
          'message-timestamp': '2024-01-15 12:30:05',
        }),
      },
      create: (options) => createVonageProvider({ ...credentials, from: 'OTPKIT', ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, message: text, status }),
      // Vonage fails inside HTTP 200 (a non-zero status).
      echoStatuses: [200, 400, 503],
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});

describeProviderOptions({
  name: 'vonage',
  valid: { apiKey: 'vnoptions', apiSecret: 'Vonage-options-secret-0001', from: 'OTPKIT' },
  resolve: (options) => resolveVonageOptions(options as VonageProviderOptions),
  create: (options) => createVonageProvider(options as VonageProviderOptions),
  defaultBaseUrl: VONAGE_DEFAULT_BASE_URL,
  secrets: ['vnoptions', 'Vonage-options-secret-0001'],
  plugin: vonagePlugin,
});
