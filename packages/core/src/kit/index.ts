export {
  createOtpKitConfigSchema,
  type OtpKitConfig,
  type OtpKitDispatcherSettings,
  type OtpKitOptions,
  type OtpKitRoute,
  type ResolvedOtpKit,
  resolveOtpKit,
} from './config.js';
export { createOtpKit } from './create.js';
export { configFromEnv, OTPKIT_ENV, parseRoutes, setOptionPath } from './env.js';
export { type LoadOtpKitOptions, loadOtpKit } from './load.js';
export { isProviderPlugin } from './plugins.js';
