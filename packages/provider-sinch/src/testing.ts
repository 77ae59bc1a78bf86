export type {
  SinchEmulator,
  SinchEmulatorFault,
  SinchEmulatorOptions,
  SinchEmulatorRequest,
  SinchEmulatorServer,
} from './sinch-emulator.js';
export { createSinchEmulator } from './sinch-emulator.js';
