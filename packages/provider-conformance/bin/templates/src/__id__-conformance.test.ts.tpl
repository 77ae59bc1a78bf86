import { CONFORMANCE_RETRY_AFTER_SECONDS, describeProviderConformance } from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { create__Name__Emulator } from './__id__-emulator.js';
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
      behave(scenario) {
        switch (scenario) {
          case 'auth-refused':
            return void emulator.failNext({ kind: 'reply', status: 401, body: { code: 'UNAUTHORIZED' } });
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
            return void emulator.failNext({ kind: 'error', code: 'INVALID_NUMBER' });
          case 'hang':
            return void emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
        }
      },
      deliveryReports: {
        delivered: (messageId) => ({ message_id: messageId, status: 'delivered' }),
        failed: (messageId) => ({ message_id: messageId, status: 'failed', error_code: 'EXPIRED' }),
      },
      create: (options) => create__Name__Provider({ apiKey, ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) => void emulator.failNext({ kind: 'error', code, message: text, status }),
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
});
