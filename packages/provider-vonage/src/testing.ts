export type {
  VonageDeliverOptions,
  VonageEmulator,
  VonageEmulatorFault,
  VonageEmulatorOptions,
  VonageEmulatorRequest,
  VonageEmulatorServer,
} from './vonage-emulator.js';
export { createVonageEmulator } from './vonage-emulator.js';
