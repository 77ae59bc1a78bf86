import {
  behaveWithCommonFaults,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { createSinchEmulator } from './sinch-emulator.js';
import { resolveSinchOptions, SINCH_DEFAULT_BASE_URL, type SinchProviderOptions } from './sinch-options.js';
import { sinchPlugin } from './sinch-plugin.js';
import { createSinchProvider } from './sinch-provider.js';

describeProviderConformance({
  name: 'sinch',
  setup() {
    const credentials = {
      servicePlanId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      apiToken: 'sinch-conformance-token-0001',
    };
    const emulator = createSinchEmulator(credentials);
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    const from = '+12015550100';
    return {
      provider: createSinchProvider({ ...credentials, from }),
      secrets: [credentials.apiToken],
      // Bare statuses for the shared failures (Sinch's 401 and 429 come with no body); Sinch's own
      // refusal for `rejected`.
      behave: behaveWithCommonFaults(emulator, () =>
        emulator.failNext({ kind: 'error', code: 'syntax_invalid_parameter_format' }),
      ),
      deliveryReports: {
        delivered: (messageId) => ({
          type: 'recipient_delivery_report_sms',
          batch_id: messageId,
          recipient: '14155550123',
          status: 'Delivered',
          code: 0,
          at: '2025-01-13T09:22:40.914Z',
        }),
        failed: (messageId) => ({
          type: 'recipient_delivery_report_sms',
          batch_id: messageId,
          recipient: '14155550123',
          status: 'Failed',
          code: 402,
          at: '2025-01-13T09:22:40.914Z',
        }),
      },
      create: (options) => createSinchProvider({ ...credentials, from, ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, message: text, status }),
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});

describeProviderOptions({
  name: 'sinch',
  valid: { apiToken: 'sinch-options-token-0001', servicePlanId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
  resolve: (options) => resolveSinchOptions(options as SinchProviderOptions),
  create: (options) => createSinchProvider(options as SinchProviderOptions),
  defaultBaseUrl: SINCH_DEFAULT_BASE_URL,
  secrets: ['sinch-options-token-0001'],
  plugin: sinchPlugin,
});
