export type {
  InfobipEmulator,
  InfobipEmulatorFault,
  InfobipEmulatorOptions,
  InfobipEmulatorRequest,
  InfobipEmulatorServer,
} from './infobip-emulator.js';
export { createInfobipEmulator } from './infobip-emulator.js';
