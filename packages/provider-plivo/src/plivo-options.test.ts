import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { PLIVO_DEFAULT_BASE_URL, resolvePlivoOptions } from './plivo-options.js';

const credentials = { authId: 'MAOPTIONS00000000001', authToken: 'Plivo-options-secret-token-0001' };

function failure(input: unknown) {
  try {
    resolvePlivoOptions(input as never);
  } catch (error) {
    if (isOtpError(error, 'INVALID_CONFIG')) return error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('resolvePlivoOptions', () => {
  it('fills in the defaults and keeps the DLT fields', () => {
    const options = resolvePlivoOptions({
      ...credentials,
      src: '+14155550100',
      dltEntityId: '1201',
      dltTemplateId: '1207',
    });
    expect(options).toMatchObject({
      ...credentials,
      baseUrl: PLIVO_DEFAULT_BASE_URL,
      timeoutMs: 10_000,
      dltTemplateId: '1207',
    });
  });

  it('takes a powerpack instead of a sender', () => {
    const powerpackUuid = 'c5a5d3a8-52a4-4f5e-9d43-5d6f1e0c1a2b';
    expect(resolvePlivoOptions({ ...credentials, powerpackUuid }).powerpackUuid).toBe(powerpackUuid);
  });

  it('reports every wrong option at once, each by name, echoing none', () => {
    const error = failure({
      authId: 'MA/../../x',
      authToken: 'has space',
      src: 'far-too-long-sender-id',
      callbackUrl: 'ftp://x.example',
      dltEntityId: 'abc',
      dltTemplateId: '12 34',
      dltTemplateCategory: 'other',
    });
    expect(error.issues?.map((issue) => issue.path).sort()).toEqual([
      'authId',
      'authToken',
      'callbackUrl',
      'dltEntityId',
      'dltTemplateCategory',
      'dltTemplateId',
      'src',
    ]);
    for (const value of ['MA/../../x', 'has space', 'far-too-long-sender-id', 'ftp://x.example']) {
      expect(error.message).not.toContain(value);
    }
  });

  it('refuses src and powerpackUuid together, beside another wrong option', () => {
    const error = failure({
      ...credentials,
      authToken: '',
      src: 'OTPKIT',
      powerpackUuid: 'c5a5d3a8-52a4-4f5e-9d43-5d6f1e0c1a2b',
    });
    expect(error.issues?.map((issue) => issue.path).sort()).toEqual(['authToken', 'src']);
  });
});
