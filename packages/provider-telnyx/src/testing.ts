export type {
  TelnyxEmulator,
  TelnyxEmulatorFault,
  TelnyxEmulatorOptions,
  TelnyxEmulatorRequest,
  TelnyxEmulatorServer,
  TelnyxSignedWebhook,
  TelnyxWebhookOptions,
} from './telnyx-emulator.js';
export { createTelnyxEmulator } from './telnyx-emulator.js';
