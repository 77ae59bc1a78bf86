import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@otpkit/source'] },
  ssr: { resolve: { conditions: ['@otpkit/source'] } },
  // The end-to-end tests spawn the built bin: the global setup builds it (and what it imports) when
  // dist is missing or older than the sources, so `pnpm test` on a fresh clone needs no build first.
  test: { name: 'cli', setupFiles: [], globalSetup: ['./vitest.global-setup.ts'], testTimeout: 30_000 },
});
