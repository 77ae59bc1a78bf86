export type {
  VonageEmulator,
  VonageEmulatorFault,
  VonageEmulatorOptions,
  VonageEmulatorRequest,
} from './vonage-emulator.js';
export { createVonageEmulator } from './vonage-emulator.js';
