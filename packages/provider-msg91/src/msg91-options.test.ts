import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { MSG91_DEFAULT_BASE_URL, resolveMsg91Options } from './msg91-options.js';

const authKey = 'msg91-options-secret-key-0001';

function failure(input: unknown) {
  try {
    resolveMsg91Options(input as never);
  } catch (error) {
    if (isOtpError(error, 'INVALID_CONFIG')) return error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('resolveMsg91Options', () => {
  it('fills in the defaults', () => {
    const options = resolveMsg91Options({ authKey });
    expect(options).toMatchObject({
      authKey,
      baseUrl: MSG91_DEFAULT_BASE_URL,
      codeVariable: 'otp',
      templateId: undefined,
      sender: undefined,
    });
  });

  it('keeps the template, sender and code variable', () => {
    const options = resolveMsg91Options({
      authKey,
      templateId: 'tpl_01',
      sender: 'OTPKIT',
      codeVariable: 'VAR1',
    });
    expect(options).toMatchObject({ templateId: 'tpl_01', sender: 'OTPKIT', codeVariable: 'VAR1' });
  });

  it('reports every wrong option at once, each by name, echoing none', () => {
    const error = failure({
      authKey: 'has a space',
      templateId: 'bad id!',
      sender: 'TOO-LONG-SENDER-ID',
      codeVariable: '1x',
    });
    expect(error.issues?.map((issue) => issue.path).sort()).toEqual([
      'authKey',
      'codeVariable',
      'sender',
      'templateId',
    ]);
    for (const value of ['has a space', 'bad id!', 'TOO-LONG-SENDER-ID'])
      expect(error.message).not.toContain(value);
  });

  it('needs the auth key', () => {
    expect(failure({}).issues?.[0]?.path).toBe('authKey');
  });
});
