import {
  behaveWithCommonFaults,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { createTelnyxEmulator } from './telnyx-emulator.js';
import {
  resolveTelnyxOptions,
  TELNYX_DEFAULT_BASE_URL,
  type TelnyxProviderOptions,
} from './telnyx-options.js';
import { telnyxPlugin } from './telnyx-plugin.js';
import { createTelnyxProvider } from './telnyx-provider.js';

const event = (messageId: string, status: string, errors: unknown[] = []) => ({
  data: {
    event_type: 'message.finalized',
    id: 'b301ed3f-1490-491f-995f-6e64e69674d4',
    occurred_at: '2024-05-01T10:00:00.000+00:00',
    payload: { id: messageId, to: [{ phone_number: '+14155550123', status }], errors },
    record_type: 'event',
  },
});

describeProviderConformance({
  name: 'telnyx',
  setup() {
    const apiKey = 'KEY-telnyx-conformance-secret-0001';
    const emulator = createTelnyxEmulator({ apiKey });
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      provider: createTelnyxProvider({ apiKey, from: '+15005550006' }),
      secrets: [apiKey],
      // Bare statuses for the shared failures; Telnyx's own refusal (an opted-out number) for `rejected`.
      behave: behaveWithCommonFaults(emulator, () =>
        emulator.failNext({
          kind: 'error',
          code: '40300',
          title: 'Blocked due to STOP message',
          status: 409,
        }),
      ),
      deliveryReports: {
        delivered: (messageId) => event(messageId, 'delivered'),
        failed: (messageId) =>
          event(messageId, 'delivery_failed', [{ code: '40008', title: 'Undeliverable' }]),
      },
      create: (options) => createTelnyxProvider({ apiKey, from: '+15005550006', ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, title: text, detail: text, status }),
      echoStatuses: [400, 403, 503, 200],
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});

describeProviderOptions({
  name: 'telnyx',
  valid: { apiKey: 'KEY-telnyx-options-secret-0001', from: '+15005550006' },
  resolve: (options) => resolveTelnyxOptions(options as TelnyxProviderOptions),
  create: (options) => createTelnyxProvider(options as TelnyxProviderOptions),
  defaultBaseUrl: TELNYX_DEFAULT_BASE_URL,
  secrets: ['KEY-telnyx-options-secret-0001'],
  plugin: telnyxPlugin,
});
