export type {
  VonageEmulator,
  VonageEmulatorFault,
  VonageEmulatorOptions,
  VonageEmulatorRequest,
  VonageEmulatorServer,
} from './vonage-emulator.js';
export { createVonageEmulator } from './vonage-emulator.js';
