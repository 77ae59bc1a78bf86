import { Dispatcher } from '../dispatcher/index.js';
import { type OtpKitConfig, type OtpKitOptions, resolveOtpKit } from './config.js';

/**
 * Builds a ready dispatcher from configuration. The whole config is validated first: every problem is
 * reported at once in one `OtpError` `INVALID_CONFIG`, each with its path
 * (`providers.kaleyra.apiKey: expected ...`); values are never echoed.
 */
export function createOtpKit(config: OtpKitConfig, options: OtpKitOptions): Dispatcher {
  const { providers, settings } = resolveOtpKit(config, options);
  return new Dispatcher({ ...settings, providers });
}
