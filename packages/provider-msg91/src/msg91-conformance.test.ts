import {
  CONFORMANCE_RETRY_AFTER_SECONDS,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { createMsg91Emulator } from './msg91-emulator.js';
import { MSG91_DEFAULT_BASE_URL, type Msg91ProviderOptions, resolveMsg91Options } from './msg91-options.js';
import { msg91Plugin } from './msg91-plugin.js';
import { createMsg91Provider } from './msg91-provider.js';

const TEMPLATE = '6650a1b2c3d4e5f60718293a';

describeProviderConformance({
  name: 'msg91',
  message: { to: '+919812345678', body: 'Your code is 482913', templateId: TEMPLATE },
  setup() {
    const authKey = 'msg91-conformance-secret-key-0001';
    const emulator = createMsg91Emulator({ authKey });
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      provider: createMsg91Provider({ authKey }),
      secrets: [authKey],
      behave(scenario) {
        switch (scenario) {
          case 'auth-refused':
            // MSG91 refuses an auth key inside an HTTP 200: type "error", no code.
            return void emulator.failNext({ kind: 'error', message: 'Invalid authkey' });
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
            return void emulator.failNext({ kind: 'malformed', status: 200 });
          case 'rejected':
            return void emulator.failNext({
              kind: 'error',
              message: 'Template ID Missing or Invalid Template',
            });
          case 'hang':
            return void emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
        }
      },
      deliveryReports: {
        // The legacy webhook: a form whose one field, data, holds a JSON array.
        delivered: (requestId) =>
          new URLSearchParams({
            data: JSON.stringify([
              {
                senderId: 'OTPKIT',
                requestId,
                report: [
                  { date: '2024-05-22 10:06:20', number: '919812345678', status: '1', desc: 'DELIVERED' },
                ],
                userId: '270001',
                campaignName: 'API',
              },
            ]),
          }),
        // The v3 webhook: flat JSON.
        failed: (requestId) => ({
          date: '2024-05-22 09:58:16',
          number: '919812345678',
          requestId,
          status: '2',
          desc: 'FAILED',
          failedReason: 'Absent subscriber',
        }),
      },
      create: (options) => createMsg91Provider({ authKey, ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, message: text, status }),
      // MSG91 fails inside HTTP 200 (type "error").
      echoStatuses: [200, 400, 503],
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});

describeProviderOptions({
  name: 'msg91',
  valid: { authKey: 'msg91-options-secret-key-0001', templateId: TEMPLATE },
  resolve: (options) => resolveMsg91Options(options as Msg91ProviderOptions),
  create: (options) => createMsg91Provider(options as Msg91ProviderOptions),
  defaultBaseUrl: MSG91_DEFAULT_BASE_URL,
  secrets: ['msg91-options-secret-key-0001'],
  plugin: msg91Plugin,
});
