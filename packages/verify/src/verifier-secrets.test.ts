import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';
import { runSecretsScan } from './secrets-scan.js';

describe('secrets', () => {
  it('over thousands of starts and checks, no event, error or stored value holds a code or the secret, and no event or error an HMAC', async () => {
    const store = createMemoryStore();
    const { starts, checks } = await runSecretsScan(store, () => store.dump(), 2_000);
    expect(starts).toBe(2_000);
    expect(checks).toBeGreaterThan(3_000);
  });
});
