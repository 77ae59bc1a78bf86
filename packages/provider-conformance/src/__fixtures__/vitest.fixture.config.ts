import { defineConfig } from 'vitest/config';

/** Runs only the fixtures; `conformance.test.ts` starts it in a child process. */
export default defineConfig({
  resolve: { conditions: ['@otpkit/source'] },
  ssr: { resolve: { conditions: ['@otpkit/source'] } },
  test: { include: ['src/__fixtures__/*.fixture.ts'], setupFiles: [] },
});
