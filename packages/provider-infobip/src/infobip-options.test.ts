import { isOtpError, type OtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { type InfobipProviderOptions, resolveInfobipOptions } from './infobip-options.js';

const valid = { apiKey: 'infobip-key-0001', baseUrl: 'https://xxxxx.api.infobip.com' };
const problems = (options: unknown) => {
  try {
    resolveInfobipOptions(options as InfobipProviderOptions);
  } catch (error) {
    if (isOtpError(error, 'INVALID_CONFIG')) return (error as OtpError).issues?.map((issue) => issue.path);
    throw error;
  }
  return [];
};

describe('resolveInfobipOptions', () => {
  it('the base URL is required: Infobip has no shared host', () => {
    expect(problems({ apiKey: 'k' })).toEqual(['baseUrl']);
    expect(resolveInfobipOptions(valid).baseUrl).toBe('https://xxxxx.api.infobip.com');
  });

  it('reports every wrong option at once, by its path', () => {
    expect(
      problems({
        apiKey: 'has space',
        baseUrl: 'xxxxx.api.infobip.com',
        sender: 'A sender far too long',
        callbackUrl: 'ftp://x',
        intermediateReport: 'yes',
        principalEntityId: 'PE-1',
      }),
    ).toEqual(['apiKey', 'baseUrl', 'sender', 'callbackUrl', 'intermediateReport', 'principalEntityId']);
  });

  it('takes alphanumeric and numeric senders', () => {
    for (const sender of ['InfoSMS', 'My Shop', '12015550100', '+12015550100']) {
      expect(problems({ ...valid, sender })).toEqual([]);
    }
  });
});
