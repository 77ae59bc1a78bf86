import { describe, expect, it } from 'vitest';
import { parseFault } from './faults.js';

describe('--fail', () => {
  it.each([
    ['503', 'kaleyra', { fault: { kind: 'unavailable', status: 503 }, times: 1 }],
    ['500x3', 'kaleyra', { fault: { kind: 'unavailable', status: 500 }, times: 3 }],
    ['429', 'twilio', { fault: { kind: 'rate-limit' }, times: 1 }],
    ['429:7', 'twilio', { fault: { kind: 'rate-limit', retryAfter: 7 }, times: 1 }],
    ['401', 'vonage', { fault: { kind: 'reply', status: 401, body: { message: 'emulated 401' } }, times: 1 }],
    ['error:E413x2', 'kaleyra', { fault: { kind: 'error', code: 'E413' }, times: 2 }],
    ['error:21211', 'twilio', { fault: { kind: 'error', code: 21211 }, times: 1 }],
    ['status:4', 'vonage', { fault: { kind: 'status', status: '4' }, times: 1 }],
    ['network', 'kaleyra', { fault: { kind: 'network' }, times: 1 }],
    ['timeout', 'kaleyra', { fault: { kind: 'delay', ms: Number.POSITIVE_INFINITY }, times: 1 }],
    ['delay:1500', 'kaleyra', { fault: { kind: 'delay', ms: 1500 }, times: 1 }],
    ['malformed*4', 'kaleyra', { fault: { kind: 'malformed' }, times: 4 }],
  ] as const)('%s (%s)', (text, vendor, expected) => {
    expect(parseFault(text, vendor)).toEqual(expected);
  });

  it.each([
    ['200', 'a 4xx or 5xx'],
    ['error:abc', 'Twilio error codes are numbers'],
    ['status:4', 'Vonage fault'],
    ['429:soon', '429:SECONDS'],
    ['boom', 'unknown fault'],
    ['503x0', 'N from 1'],
  ])('refuses %s', (text, message) => {
    expect(() => parseFault(text, 'twilio')).toThrow(message);
  });
});
