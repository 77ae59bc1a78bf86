export type {
  TwilioEmulator,
  TwilioEmulatorFault,
  TwilioEmulatorOptions,
  TwilioEmulatorRequest,
} from './twilio-emulator.js';
export { createTwilioEmulator } from './twilio-emulator.js';
