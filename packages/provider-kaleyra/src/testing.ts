export type {
  KaleyraEmulator,
  KaleyraEmulatorFault,
  KaleyraEmulatorOptions,
  KaleyraEmulatorRequest,
} from './kaleyra-emulator.js';
export { createKaleyraEmulator } from './kaleyra-emulator.js';
