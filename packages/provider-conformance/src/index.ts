export { assertNoSecrets } from './assertions.js';
export type {
  ConformanceHarness,
  ConformanceProviderOptions,
  ConformanceScenario,
  ProviderConformanceOptions,
} from './conformance.js';
export { CONFORMANCE_RETRY_AFTER_SECONDS, describeProviderConformance } from './conformance.js';
