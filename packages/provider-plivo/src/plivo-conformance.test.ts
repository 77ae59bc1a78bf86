import {
  CONFORMANCE_RETRY_AFTER_SECONDS,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { createPlivoEmulator } from './plivo-emulator.js';
import { PLIVO_DEFAULT_BASE_URL, type PlivoProviderOptions, resolvePlivoOptions } from './plivo-options.js';
import { plivoPlugin } from './plivo-plugin.js';
import { createPlivoProvider } from './plivo-provider.js';

describeProviderConformance({
  name: 'plivo',
  setup() {
    const credentials = { authId: 'MACONFORM00000000001', authToken: 'Plivo-conformance-secret-token-0001' };
    const emulator = createPlivoEmulator(credentials);
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      provider: createPlivoProvider({ ...credentials, src: '+14155550100' }),
      secrets: [credentials.authToken],
      behave(scenario) {
        switch (scenario) {
          case 'auth-refused':
            return void emulator.failNext({ kind: 'error', status: 401, message: 'Authentication failed' });
          case 'rate-limited':
            return void emulator.failNext({ kind: 'rate-limit' });
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
            return void emulator.failNext({ kind: 'malformed', status: 202 });
          case 'rejected':
            // Plivo's 403 to a send is a missing geo permission: REJECTED, not AUTHENTICATION.
            return void emulator.failNext({ kind: 'geo-permission' });
          case 'hang':
            return void emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
        }
      },
      deliveryReports: {
        // A POST callback: form fields.
        delivered: (messageUuid) =>
          new URLSearchParams({
            MessageUUID: messageUuid,
            To: '14155550123',
            From: '14155550100',
            Type: 'sms',
            Status: 'delivered',
            ErrorCode: '000',
            MessageTime: '2024-08-21 18:28:49.244057',
          }),
        failed: (messageUuid) => ({
          MessageUUID: messageUuid,
          To: '14155550123',
          Status: 'undelivered',
          ErrorCode: '50',
        }),
      },
      create: (options) => createPlivoProvider({ ...credentials, src: '+14155550100', ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, message: text, status }),
      echoStatuses: [400, 403, 503],
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});

describeProviderOptions({
  name: 'plivo',
  valid: {
    authId: 'MAOPTIONS00000000001',
    authToken: 'Plivo-options-secret-token-0001',
    src: '+14155550100',
  },
  resolve: (options) => resolvePlivoOptions(options as PlivoProviderOptions),
  create: (options) => createPlivoProvider(options as PlivoProviderOptions),
  defaultBaseUrl: PLIVO_DEFAULT_BASE_URL,
  secrets: ['Plivo-options-secret-token-0001'],
  plugin: plivoPlugin,
});
