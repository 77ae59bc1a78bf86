import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@otpkit/source'] },
  ssr: { resolve: { conditions: ['@otpkit/source'] } },
  test: { name: 'infobip', setupFiles: [] },
});
