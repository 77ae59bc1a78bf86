import {
  behaveWithCommonFaults,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { createMsg91Emulator } from './msg91-emulator.js';
import { MSG91_DEFAULT_BASE_URL, type Msg91ProviderOptions, resolveMsg91Options } from './msg91-options.js';
import { msg91Plugin } from './msg91-plugin.js';
import { createMsg91Provider } from './msg91-provider.js';

describeProviderConformance({
  name: 'msg91',
  setup() {
    const apiKey = 'msg91-conformance-secret-key-0001';
    const emulator = createMsg91Emulator({ apiKey });
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      provider: createMsg91Provider({ apiKey }),
      secrets: [apiKey],
      // Bare statuses for the shared failures; Msg91's own refusal for `rejected`.
      behave: behaveWithCommonFaults(emulator, () =>
        emulator.failNext({ kind: 'error', code: 'INVALID_NUMBER' }),
      ),
      deliveryReports: {
        delivered: (messageId) => ({ message_id: messageId, status: 'delivered' }),
        failed: (messageId) => ({ message_id: messageId, status: 'failed', error_code: 'EXPIRED' }),
      },
      create: (options) => createMsg91Provider({ apiKey, ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, message: text, status }),
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});

describeProviderOptions({
  name: 'msg91',
  valid: { apiKey: 'msg91-options-secret-key-0001' },
  resolve: (options) => resolveMsg91Options(options as Msg91ProviderOptions),
  create: (options) => createMsg91Provider(options as Msg91ProviderOptions),
  defaultBaseUrl: MSG91_DEFAULT_BASE_URL,
  secrets: ['msg91-options-secret-key-0001'],
  plugin: msg91Plugin,
});
