export type {
  TwilioDeliverOptions,
  TwilioEmulator,
  TwilioEmulatorFault,
  TwilioEmulatorOptions,
  TwilioEmulatorRequest,
  TwilioEmulatorServer,
} from './twilio-emulator.js';
export { createTwilioEmulator } from './twilio-emulator.js';
export { computeTwilioSignature } from './twilio-signature.js';
