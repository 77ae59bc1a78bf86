export type {
  Msg91DeliverOptions,
  Msg91Emulator,
  Msg91EmulatorFault,
  Msg91EmulatorOptions,
  Msg91EmulatorRequest,
  Msg91EmulatorServer,
} from './msg91-emulator.js';
export { createMsg91Emulator } from './msg91-emulator.js';
