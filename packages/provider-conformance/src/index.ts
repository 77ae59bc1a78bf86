export type { ConformanceHarness, ConformanceScenario, ProviderConformanceOptions } from './conformance.js';
export {
  assertNoSecrets,
  CONFORMANCE_RETRY_AFTER_SECONDS,
  describeProviderConformance,
} from './conformance.js';
