import {
  CONFORMANCE_RETRY_AFTER_SECONDS,
  describeProviderConformance,
  describeProviderOptions,
} from '@otpkit/provider-conformance';
import { setupServer } from 'msw/node';
import { createTwilioEmulator } from './testing.js';
import {
  resolveTwilioOptions,
  TWILIO_DEFAULT_BASE_URL,
  type TwilioProviderOptions,
} from './twilio-options.js';
import { twilioPlugin } from './twilio-plugin.js';
import { createTwilioProvider } from './twilio-provider.js';

const accountSid = `AC${'c0ffee00'.repeat(4)}`;
const authToken = 'twilio-conformance-auth-token-0001';
const apiKeySid = `SK${'5ec12e70'.repeat(4)}`;
const apiKeySecret = 'twilio-conformance-api-secret-0001';

const auths: [string, Partial<TwilioProviderOptions>, string][] = [
  ['twilio', { authToken }, authToken],
  ['twilio (API key)', { apiKeySid, apiKeySecret }, apiKeySecret],
];

for (const [name, credentials, secret] of auths) {
  describeProviderConformance({
    name,
    setup() {
      const emulator = createTwilioEmulator({ accountSid, authToken, apiKeySid, apiKeySecret });
      const server = setupServer(...emulator.handlers);
      server.listen({ onUnhandledRequest: 'error' });
      return {
        provider: createTwilioProvider({ accountSid, ...credentials, from: '+15017122661' }),
        secrets: [secret],
        behave(scenario) {
          switch (scenario) {
            case 'auth-refused':
              return void emulator.failNext({
                kind: 'error',
                status: 401,
                code: 20003,
                message: 'Authenticate',
              });
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
              return void emulator.failNext({ kind: 'error', code: 21211 });
            case 'hang':
              return void emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
          }
        },
        deliveryReports: {
          delivered: (messageId) =>
            new URLSearchParams({
              MessageSid: messageId,
              MessageStatus: 'delivered',
              To: '+14155550123',
              From: '+15017122661',
              AccountSid: accountSid,
            }),
          failed: (messageId) => ({ MessageSid: messageId, MessageStatus: 'failed', ErrorCode: '30006' }),
        },
        create: (options) =>
          createTwilioProvider({ accountSid, ...credentials, from: '+15017122661', ...options }),
        respond: (response) => void emulator.failNext({ kind: 'response', response }),
        echoError: ({ code, text, status }) =>
          void emulator.failNext({
            kind: 'reply',
            status,
            body: { code, message: text, more_info: 'https://www.twilio.com/docs/errors', status },
          }),
        reset: () => emulator.reset(),
        close: () => server.close(),
      };
    },
  });
}

describeProviderOptions({
  name: 'twilio',
  valid: { accountSid, authToken, from: '+15017122661' },
  resolve: (options) => resolveTwilioOptions(options as TwilioProviderOptions),
  create: (options) => createTwilioProvider(options as TwilioProviderOptions),
  defaultBaseUrl: TWILIO_DEFAULT_BASE_URL,
  secrets: [authToken],
  plugin: twilioPlugin,
});
