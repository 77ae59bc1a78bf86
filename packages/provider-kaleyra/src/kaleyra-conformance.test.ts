import {
  CONFORMANCE_RETRY_AFTER_SECONDS,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { expect, it } from 'vitest';
import {
  KALEYRA_DEFAULT_BASE_URL,
  type KaleyraProviderOptions,
  resolveKaleyraOptions,
} from './kaleyra-options.js';
import { kaleyraPlugin } from './kaleyra-plugin.js';
import { createKaleyraProvider } from './kaleyra-provider.js';
import { createKaleyraEmulator } from './testing.js';

const credentials = { sid: 'HXCONFORM001IN', apiKey: 'Ak-conformance-secret-key-0001' };
const emulator = createKaleyraEmulator(credentials);

describeProviderConformance({
  name: 'kaleyra',
  setup() {
    const server = setupServer(...emulator.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    return {
      provider: createKaleyraProvider({ ...credentials, sender: 'KLRHXA' }),
      secrets: [credentials.apiKey],
      behave(scenario) {
        switch (scenario) {
          case 'auth-refused':
            return void emulator.failNext({ kind: 'reply', status: 401, body: { message: 'Unauthorized' } });
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
            return void emulator.failNext({ kind: 'error', code: 'E413', message: 'Validation error' });
          case 'hang':
            return void emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
        }
      },
      deliveryReports: {
        delivered: (messageId) =>
          new URLSearchParams({ id: messageId, status: 'DELIVRD', mobile: '14155550123' }),
        failed: (messageId) => ({ message_id: messageId, status: 'failed', error_code: 'MOB-OFF' }),
      },
      create: (options) => createKaleyraProvider({ ...credentials, sender: 'KLRHXA', ...options }),
      respond: (response) => void emulator.failNext({ kind: 'response', response }),
      echoError: ({ code, text, status }) =>
        void emulator.failNext({ kind: 'error', code, message: text, status }),
      // Kaleyra also fails inside a 2xx (a `code` and no `id`).
      echoStatuses: [200, 400, 503],
      reset: () => emulator.reset(),
      close: () => server.close(),
    };
  },
  additionalTests({ harness, message, sendContext }) {
    it('an error body inside a 2xx (a code, no id) fails the send as the code table says', async () => {
      emulator.failNext({ kind: 'error', code: 'E102', status: 200 });
      await expect(harness().provider.send(message, sendContext())).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        providerCode: 'E102',
        status: 200,
      });
    });
  },
});

describeProviderOptions({
  name: 'kaleyra',
  valid: credentials,
  resolve: (options) => resolveKaleyraOptions(options as KaleyraProviderOptions),
  create: (options) => createKaleyraProvider(options as KaleyraProviderOptions),
  defaultBaseUrl: KALEYRA_DEFAULT_BASE_URL,
  secrets: [credentials.apiKey],
  plugin: kaleyraPlugin,
});
