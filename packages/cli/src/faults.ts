import { UsageError } from './args.js';

/** The vendors `otpkit emulate` serves. */
export const EMULATED_VENDORS = ['kaleyra', 'twilio', 'vonage'] as const;
export type EmulatedVendor = (typeof EMULATED_VENDORS)[number];

/** A fault in the emulators' own terms (`KaleyraEmulatorFault`, `TwilioEmulatorFault`, ...). */
export type EmulatorFaultSpec =
  | { kind: 'unavailable'; status: number }
  | { kind: 'rate-limit'; retryAfter?: number }
  | { kind: 'error'; code: string | number }
  | { kind: 'status'; status: string }
  | { kind: 'reply'; status: number; body: unknown }
  | { kind: 'network' }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' };

export const FAULT_SYNTAX = `--fail FAULT[xN] (repeatable, in order; xN: the next N requests):
  503, 500, ... (any 5xx)  the vendor fails with that status
  429 or 429:S             rate limited, with Retry-After S seconds when given
  401, 400, ... (any 4xx)  that status with a plain JSON error body
  error:CODE               the vendor's own error code (Kaleyra E413, Twilio 21211, Vonage 9)
  status:CODE              Vonage only: HTTP 200 with that message status (e.g. status:4)
  network                  the connection is reset without a reply
  timeout                  no reply at all (the client's time limit ends it)
  delay:MS                 answer normally after MS ms
  malformed                an HTML page where JSON is expected`;

/** Reads one `--fail` value: the fault and how many requests it applies to. */
export function parseFault(
  text: string,
  vendor: EmulatedVendor,
): { fault: EmulatorFaultSpec; times: number } {
  const match = /^(.+?)(?:[x*](\d+))?$/.exec(text.trim());
  const bad = (why: string): never => {
    throw new UsageError(`--fail "${text}": ${why}\n${FAULT_SYNTAX}`);
  };
  if (!match) return bad('expected a fault');
  const spec = match[1]!;
  const times = match[2] === undefined ? 1 : Number(match[2]);
  if (times < 1 || times > 100_000) bad('expected xN with N from 1 to 100000');
  const [head, arg] = spec.split(/:(.*)/s) as [string, string | undefined];
  let fault: EmulatorFaultSpec;
  if (/^\d{3}$/.test(head)) {
    const status = Number(head);
    if (status === 429) {
      if (arg !== undefined && !/^\d+$/.test(arg)) bad('expected 429:SECONDS');
      fault = arg === undefined ? { kind: 'rate-limit' } : { kind: 'rate-limit', retryAfter: Number(arg) };
    } else if (status >= 500 && status <= 599) fault = { kind: 'unavailable', status };
    else if (status >= 400 && status <= 499)
      fault = { kind: 'reply', status, body: { message: `emulated ${status}` } };
    else return bad('expected a 4xx or 5xx status');
  } else if (head === 'error') {
    if (!arg) return bad('expected error:CODE');
    if (vendor === 'twilio') {
      if (!/^\d+$/.test(arg)) bad('Twilio error codes are numbers, e.g. error:21211');
      fault = { kind: 'error', code: Number(arg) };
    } else fault = { kind: 'error', code: arg };
  } else if (head === 'status') {
    if (vendor !== 'vonage') return bad('status:CODE is a Vonage fault');
    if (!arg || !/^\d+$/.test(arg)) return bad('expected status:CODE, e.g. status:4');
    fault = { kind: 'status', status: arg };
  } else if (head === 'network' && arg === undefined) fault = { kind: 'network' };
  else if (head === 'timeout' && arg === undefined) fault = { kind: 'delay', ms: Number.POSITIVE_INFINITY };
  else if (head === 'malformed' && arg === undefined) fault = { kind: 'malformed' };
  else if (head === 'delay') {
    if (!arg || !/^\d+$/.test(arg)) return bad('expected delay:MS');
    fault = { kind: 'delay', ms: Number(arg) };
  } else return bad('unknown fault');
  return { fault, times };
}
