import { OtpError } from '@otpkit/core';
import { describeProviderConformance } from '@otpkit/provider-conformance';
import { createFakeProvider } from './fake-provider.js';

describeProviderConformance({
  name: 'fake',
  setup() {
    const fake = createFakeProvider();
    const fail = (code: ConstructorParameters<typeof OtpError>[0], retryAfterMs?: number) =>
      fake.failNext(
        new OtpError(code, `fake: scripted ${code}`, {
          provider: 'fake',
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        }),
      );
    return {
      provider: fake,
      secrets: [],
      behave(scenario) {
        switch (scenario) {
          case 'auth-refused':
            return void fail('AUTHENTICATION');
          case 'rate-limited':
            return void fail('RATE_LIMITED');
          case 'rate-limited-with-delay':
            return void fail('RATE_LIMITED', 7000);
          case 'unavailable':
            return void fail('PROVIDER_UNAVAILABLE');
          case 'network-failure':
            return void fail('NETWORK');
          case 'malformed-reply':
            return void fail('INVALID_RESPONSE');
          case 'rejected':
            return void fail('REJECTED');
          case 'hang':
            return void fake.hangNext();
        }
      },
      deliveryReports: {
        delivered: (messageId) => fake.deliveryReport(messageId, 'delivered'),
        failed: (messageId) => fake.deliveryReport(messageId, 'undelivered', 'EXPIRED'),
      },
      reset: () => fake.reset(),
    };
  },
});
