export { assertNoSecrets } from './assertions.js';
export type {
  ConformanceContext,
  ConformanceHarness,
  ConformanceProviderOptions,
  ConformanceScenario,
  ProviderConformanceOptions,
} from './conformance.js';
export {
  behaveWithCommonFaults,
  CONFORMANCE_RETRY_AFTER_SECONDS,
  describeProviderConformance,
} from './conformance.js';
export { listenerCounts } from './fault-books.js';
export type { FaultHarness, ProviderFaultsOptions } from './faults.js';
export { describeProviderFaults } from './faults.js';
export type { ProviderOptionsSuiteOptions } from './options-suite.js';
export { describeProviderOptions } from './options-suite.js';
export {
  type CapturedRequest,
  captureRequests,
  formFields,
  type MswParts,
  rejectionOf,
} from './test-helpers.js';
