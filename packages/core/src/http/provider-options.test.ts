import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isOtpError } from '../errors.js';
import { ProviderHttpOptionEntries, resolveHttpOptions, resolveProviderOptions } from '../http.js';

const Schema = v.object({ apiKey: v.string('apiKey: expected a string'), ...ProviderHttpOptionEntries });
const ACME = { id: 'acme', name: 'Acme' };

describe('resolveProviderOptions and the shared option entries', () => {
  it('returns the output, with the shared defaults from resolveHttpOptions', () => {
    const options = resolveProviderOptions(ACME, Schema, { apiKey: 'k', baseUrl: 'https://a.example/v1/' });
    expect(resolveHttpOptions(options, 'https://default.example')).toEqual({
      baseUrl: 'https://a.example/v1',
      timeoutMs: 10_000,
      maxResponseBytes: undefined,
      fetch: undefined,
    });
    expect(resolveHttpOptions({}, 'https://default.example/').baseUrl).toBe('https://default.example');
  });

  it('throws INVALID_CONFIG naming every wrong option, with paths, never the values', () => {
    let thrown: unknown;
    try {
      resolveProviderOptions(ACME, Schema, {
        apiKey: 7,
        timeoutMs: 2 ** 31,
        maxResponseBytes: 1,
        baseUrl: 'https://u:hunter2@a.example',
        fetch: 'no',
      });
    } catch (error) {
      thrown = error;
    }
    expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
    const error = thrown as import('../errors.js').OtpError;
    expect(error.provider).toBe('acme');
    expect(error.message).toMatch(/^Invalid Acme options: /);
    expect(error.message).toContain('timeoutMs: expected an integer from 1 to 2147483647');
    expect(error.message).not.toContain('hunter2');
    expect(error.issues?.map((issue) => issue.path).sort()).toEqual([
      'apiKey',
      'baseUrl',
      'fetch',
      'maxResponseBytes',
      'timeoutMs',
    ]);
  });
});
