import { describe, expect, it } from 'vitest';
import { isOtpError } from '../errors.js';
import { webhookJson } from './webhook-json.js';

const refusal = (payload: unknown) => {
  try {
    webhookJson(payload, 'acme', 'a delivery report');
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('webhookJson', () => {
  it('keeps a parsed object as it is (the same object), one without a prototype too', () => {
    const body = { results: [{ messageId: 'm1' }] };
    expect(webhookJson(body, 'acme', 'a delivery report')).toBe(body);
    const bare = Object.assign(Object.create(null), { messageId: 'm1' });
    expect(webhookJson(bare, 'acme', 'a delivery report')).toBe(bare);
  });

  it('parses the raw text, as a string or bytes', () => {
    const text = '{"results":[{"messageId":"m1"}],"n":1}';
    const expected = { results: [{ messageId: 'm1' }], n: 1 };
    expect(webhookJson(text, 'acme', 'a delivery report')).toEqual(expected);
    expect(webhookJson(Buffer.from(text), 'acme', 'a delivery report')).toEqual(expected);
    expect(webhookJson(new TextEncoder().encode(text), 'acme', 'a delivery report')).toEqual(expected);
  });

  it('refuses unreadable JSON with INVALID_INPUT, naming the provider and what it expected', () => {
    const error = refusal('{"results": [');
    expect(isOtpError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toBe('acme: expected a delivery report, got unreadable JSON');
  });

  it.each([
    ['an array', [{ messageId: 'm1' }]],
    ['JSON text of an array', '[1, 2]'],
    ['JSON text of a number', '42'],
    ['null', null],
    ['a number', 42],
    ['undefined', undefined],
    ['a form', new URLSearchParams('a=1')],
    ['a Map', new Map([['a', '1']])],
  ])('refuses %s with INVALID_INPUT', (_, payload) => {
    const error = refusal(payload);
    expect(isOtpError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toBe('acme: expected a delivery report');
  });
});
