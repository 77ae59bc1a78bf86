export type {
  PlivoDeliverOptions,
  PlivoEmulator,
  PlivoEmulatorFault,
  PlivoEmulatorOptions,
  PlivoEmulatorRequest,
  PlivoEmulatorServer,
} from './plivo-emulator.js';
export { createPlivoEmulator } from './plivo-emulator.js';
