import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@otpkit/source'] },
  ssr: { resolve: { conditions: ['@otpkit/source'] } },
  test: {
    name: 'store-redis',
    globalSetup: ['./src/__fixtures__/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
