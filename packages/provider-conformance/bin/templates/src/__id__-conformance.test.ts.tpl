import {
  behaveWithCommonFaults,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { create__Name__Emulator } from './__id__-emulator.js';
import { __ID___DEFAULT_BASE_URL, type __Name__ProviderOptions, resolve__Name__Options } from './__id__-options.js';
import { __name__Plugin } from './__id__-plugin.js';
import { create__Name__Provider } from './__id__-provider.js';

describeProviderConformance({
  name: '__id__',
  setup() {
    const apiKey = '__id__-conformance-secret-key-0001';
    const emulator = create__Name__Emulator({ apiKey });
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      provider: create__Name__Provider({ apiKey }),
      secrets: [apiKey],
      // Bare statuses for the shared failures; __Name__'s own refusal for `rejected`.
      behave: behaveWithCommonFaults(emulator, () => emulator.failNext({ kind: 'error', code: 'INVALID_NUMBER' })),
      deliveryReports: {
        delivered: (messageId) => ({ message_id: messageId, status: 'delivered' }),
        failed: (messageId) => ({ message_id: messageId, status: 'failed', error_code: 'EXPIRED' }),
      },
      create: (options) => create__Name__Provider({ apiKey, ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, message: text, status }),
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});

describeProviderOptions({
  name: '__id__',
  valid: { apiKey: '__id__-options-secret-key-0001' },
  resolve: (options) => resolve__Name__Options(options as __Name__ProviderOptions),
  create: (options) => create__Name__Provider(options as __Name__ProviderOptions),
  defaultBaseUrl: __ID___DEFAULT_BASE_URL,
  secrets: ['__id__-options-secret-key-0001'],
  plugin: __name__Plugin,
});
