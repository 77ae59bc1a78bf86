import { isOtpError, type OtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { resolveSinchOptions, SINCH_REGIONS, type SinchProviderOptions } from './sinch-options.js';

const valid = { servicePlanId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', apiToken: 'sinch-token-0001' };
const problems = (options: unknown) => {
  try {
    resolveSinchOptions(options as SinchProviderOptions);
  } catch (error) {
    if (isOtpError(error, 'INVALID_CONFIG')) return (error as OtpError).issues?.map((issue) => issue.path);
    throw error;
  }
  return [];
};

describe('resolveSinchOptions', () => {
  it('defaults: the us host, no sender, callback or delivery report of its own', () => {
    expect(resolveSinchOptions(valid)).toMatchObject({
      ...valid,
      baseUrl: 'https://us.sms.api.sinch.com',
      from: undefined,
      callbackUrl: undefined,
      deliveryReport: undefined,
    });
  });

  it('a region picks its host', () => {
    for (const region of SINCH_REGIONS) {
      expect(resolveSinchOptions({ ...valid, region }).baseUrl).toBe(`https://${region}.sms.api.sinch.com`);
    }
  });

  it('reports every wrong option at once, by its path', () => {
    expect(
      problems({
        servicePlanId: 'plan/../x',
        apiToken: 'has space',
        from: '+0',
        region: 'mars',
        callbackUrl: 'ftp://x',
        deliveryReport: 'always',
      }),
    ).toEqual(['servicePlanId', 'apiToken', 'from', 'region', 'callbackUrl', 'deliveryReport']);
  });

  it('refuses region with baseUrl', () => {
    expect(problems({ ...valid, region: 'eu', baseUrl: 'https://proxy.example.com' })).toEqual(['region']);
  });

  it('takes E.164 numbers, short codes and alphanumeric senders', () => {
    for (const from of ['+12015550100', '12015550100', '12345', 'OTPKIT', 'My Shop']) {
      expect(problems({ ...valid, from })).toEqual([]);
    }
  });

  it('never echoes the token', () => {
    try {
      resolveSinchOptions({ ...valid, apiToken: 'secret token 42' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secret token 42');
    }
  });
});
