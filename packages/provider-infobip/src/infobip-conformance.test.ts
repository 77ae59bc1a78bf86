import {
  behaveWithCommonFaults,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { createInfobipEmulator } from './infobip-emulator.js';
import {
  INFOBIP_EXAMPLE_BASE_URL,
  type InfobipProviderOptions,
  resolveInfobipOptions,
} from './infobip-options.js';
import { infobipPlugin } from './infobip-plugin.js';
import { createInfobipProvider } from './infobip-provider.js';

const report = (messageId: string, status: object, error: object) => ({
  results: [{ messageId, to: '14155550123', doneAt: '2024-05-22T10:06:25.456+0000', status, error }],
});

describeProviderConformance({
  name: 'infobip',
  setup() {
    const credentials = { apiKey: 'infobip-conformance-secret-key-0001', baseUrl: INFOBIP_EXAMPLE_BASE_URL };
    const emulator = createInfobipEmulator(credentials);
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      provider: createInfobipProvider({ ...credentials, sender: 'InfoSMS' }),
      secrets: [credentials.apiKey],
      // Bare statuses for the shared failures; Infobip's trap for `rejected`: a REJECTED group in a 200.
      behave: behaveWithCommonFaults(emulator, () =>
        emulator.failNext({ kind: 'error', code: 'REJECTED_DESTINATION', status: 200 }),
      ),
      deliveryReports: {
        delivered: (messageId) =>
          report(
            messageId,
            { groupId: 3, groupName: 'DELIVERED', id: 5, name: 'DELIVERED_TO_HANDSET' },
            { groupId: 0, groupName: 'OK', id: 0, name: 'NO_ERROR', permanent: false },
          ),
        failed: (messageId) =>
          report(
            messageId,
            { groupId: 2, groupName: 'UNDELIVERABLE', id: 9, name: 'UNDELIVERABLE_NOT_DELIVERED' },
            {
              groupId: 1,
              groupName: 'HANDSET_ERRORS',
              id: 27,
              name: 'EC_ABSENT_SUBSCRIBER',
              permanent: false,
            },
          ),
      },
      create: (options) => createInfobipProvider({ ...credentials, ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, message: text, status }),
      echoStatuses: [400, 503, 200],
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});

describeProviderOptions({
  name: 'infobip',
  valid: { apiKey: 'infobip-options-secret-key-0001', baseUrl: INFOBIP_EXAMPLE_BASE_URL },
  resolve: (options) => resolveInfobipOptions(options as InfobipProviderOptions),
  create: (options) => createInfobipProvider(options as InfobipProviderOptions),
  defaultBaseUrl: INFOBIP_EXAMPLE_BASE_URL,
  secrets: ['infobip-options-secret-key-0001'],
  plugin: infobipPlugin,
});
