export type {
  __Name__Emulator,
  __Name__EmulatorFault,
  __Name__EmulatorOptions,
  __Name__EmulatorRequest,
  __Name__EmulatorServer,
} from './__id__-emulator.js';
export { create__Name__Emulator } from './__id__-emulator.js';
