export type { RandomSource } from './code.js';
export { generateCode } from './code.js';
export type { VerifierEnvOptions } from './env.js';
export { OTPKIT_VERIFY_ENV, verifierOptionsFromEnv } from './env.js';
export type {
  ApprovedEvent,
  LockedEvent,
  RefusalReason,
  RefusedEvent,
  RejectedEvent,
  ResentEvent,
  StartedEvent,
  VerificationEventBase,
  VerifierEventName,
  VerifierEvents,
} from './events.js';
export type { CheckInput, StartInput } from './inputs.js';
export type { MemoryStore, MemoryStoreOptions } from './memory-store.js';
export { createMemoryStore, MAX_CODES_PER_VERIFICATION } from './memory-store.js';
export type { MessageContext, MessageFunction, MessageTemplate, VerifierMessages } from './messages.js';
export { DEFAULT_MESSAGES } from './messages.js';
export type { ReportResult } from './receipts.js';
export { refusalReason } from './refusal.js';
export type {
  BeginRequest,
  BeginResult,
  CheckRequest,
  CheckStatus,
  DeliverRequest,
  DeliverResult,
  HitRequest,
  SendWindow,
  SettleRequest,
  StoreCheckResult,
  TallyRequest,
  TallyState,
  VerificationStore,
  WindowState,
} from './store.js';
export type { CheckResult, StartResult } from './verifier.js';
export { createVerifier, Verifier } from './verifier.js';
export type {
  PrefixLimit,
  PumpingGuardOptions,
  ResolvedVerifierOptions,
  VerifierOptions,
} from './verifier-options.js';
export { resolveVerifierOptions, VERIFIER_DEFAULTS } from './verifier-options.js';
