import { describe, expect, it } from 'vitest';
import { isSecretName, maskSecret, scrub, secretsIn } from './mask.js';

describe('masking', () => {
  it('shows at most the last 2 characters, and nothing of a short secret', () => {
    expect(maskSecret('abcdefgh12')).toBe('****12');
    expect(maskSecret('short')).toBe('****');
    expect(maskSecret('')).toBe('****');
  });

  it('knows secrets by name', () => {
    for (const name of [
      'apiKey',
      'KALEYRA_API_KEY',
      'api_secret',
      'authToken',
      'OTPKIT_VERIFY_SECRET',
      'password',
    ]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['sid', 'KALEYRA_SID', 'from', 'baseUrl', 'OTPKIT_TIMEOUT_MS']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });

  it('scrubs the secrets of the environment out of any text', () => {
    const secrets = secretsIn({ KALEYRA_API_KEY: 'k-123456789', PATH: '/bin', EMPTY_TOKEN: ' ' });
    expect(secrets).toEqual(['k-123456789']);
    expect(scrub('refused k-123456789 twice: k-123456789', secrets)).toBe('refused ****89 twice: ****89');
  });
});
