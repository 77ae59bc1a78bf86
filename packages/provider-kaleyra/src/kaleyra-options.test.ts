import { inspect } from 'node:util';
import { isOtpError, type OtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import {
  KALEYRA_DEFAULT_BASE_URL,
  KALEYRA_REGIONS,
  type KaleyraProviderOptions,
  resolveKaleyraOptions,
} from './kaleyra-options.js';
import { createKaleyraProvider } from './kaleyra-provider.js';

const SID = 'HXXXXXXX071US';
const API_KEY = 'Ac4XXXXX21f';
const base = { sid: SID, apiKey: API_KEY };

/** Runs `resolveKaleyraOptions` and returns the `OtpError` it must throw. */
function configError(options: unknown): OtpError {
  let caught: unknown;
  try {
    resolveKaleyraOptions(options as KaleyraProviderOptions);
  } catch (error) {
    caught = error;
  }
  if (!isOtpError(caught)) throw new Error(`expected an OtpError, got ${String(caught)}`);
  return caught;
}

/** The options an error's issues name, once each (an empty string fails two checks of one option). */
const paths = (error: OtpError) => [...new Set(error.issues?.map((issue) => issue.path))];

/** Every way an error can end up in a log. */
function renderings(error: OtpError): string {
  return [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
}

describe('resolveKaleyraOptions: defaults', () => {
  it('fills in the seed host, a 10 s time limit and the India check', () => {
    expect(resolveKaleyraOptions(base)).toEqual({
      sid: SID,
      apiKey: API_KEY,
      sender: undefined,
      baseUrl: 'https://api.kaleyra.io',
      templateId: undefined,
      callbackUrl: undefined,
      timeoutMs: 10_000,
      requireTemplateIdForIndia: true,
      fetch: undefined,
    });
    expect(KALEYRA_DEFAULT_BASE_URL).toBe('https://api.kaleyra.io');
  });

  it('keeps every option given', () => {
    const fetch = async () => new Response('{}');
    expect(
      resolveKaleyraOptions({
        ...base,
        sender: 'KLRHXA',
        baseUrl: 'https://proxy.example.com',
        templateId: '1107160000000000001',
        callbackUrl: 'https://app.example.com/kaleyra/dlr',
        timeoutMs: 5000,
        requireTemplateIdForIndia: false,
        fetch,
      }),
    ).toEqual({
      sid: SID,
      apiKey: API_KEY,
      sender: 'KLRHXA',
      baseUrl: 'https://proxy.example.com',
      templateId: '1107160000000000001',
      callbackUrl: 'https://app.example.com/kaleyra/dlr',
      timeoutMs: 5000,
      requireTemplateIdForIndia: false,
      fetch,
    });
  });

  it.each([
    ['in', 'https://api.in.kaleyra.io'],
    ['ap', 'https://api.ap.kaleyra.io'],
    ['eu', 'https://api.eu.kaleyra.io'],
  ] as const)('region %s picks %s', (region, host) => {
    expect(KALEYRA_REGIONS[region]).toBe(host);
    expect(resolveKaleyraOptions({ ...base, region }).baseUrl).toBe(host);
  });

  // The trailing slashes of baseUrl: in the conformance kit's options suite (kaleyra-conformance.test.ts).
});

describe('resolveKaleyraOptions: invalid options → INVALID_CONFIG naming the option', () => {
  const cases: [keyof KaleyraProviderOptions, unknown][] = [
    ['sid', undefined],
    ['sid', ''],
    ['sid', 'HX 071US'],
    ['sid', 'HX/../071US'],
    ['sid', 42],
    ['apiKey', undefined],
    ['apiKey', ''],
    ['apiKey', 'Ac4XX XX21f'],
    ['apiKey', 'Ac4XXXXX21f\n'],
    ['apiKey', 12345],
    ['sender', ''],
    ['sender', 'KLR HXA'],
    ['sender', 'A_SENDER_ID_THAT_IS_TOO_LONG'],
    ['sender', 7],
    ['region', 'us'],
    ['region', 'na'],
    ['region', ''],
    ['templateId', ''],
    ['templateId', '1107 1600'],
    ['templateId', 1107160000],
    ['callbackUrl', 'javascript:alert(1)'],
    ['callbackUrl', 'not a url'],
    // baseUrl, timeoutMs, maxResponseBytes and fetch: the conformance kit's options suite.
    ['requireTemplateIdForIndia', 'yes'],
    ['requireTemplateIdForIndia', 0],
  ];

  it.each(cases)('%s = %j', (option, value) => {
    const error = configError({ ...base, [option]: value });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.retryable).toBe(false);
    expect(error.provider).toBe('kaleyra');
    expect(paths(error)).toEqual([option]);
    expect(error.message).toContain(`${option}:`);
    expect(error.message).toMatch(/^Invalid Kaleyra options: /);
  });

  it('names every wrong option at once', () => {
    const error = configError({ sid: '', apiKey: '', region: 'us', timeoutMs: 0 });
    expect(paths(error)).toEqual(['sid', 'apiKey', 'region', 'timeoutMs']);
  });

  it('refuses something that is not an object', () => {
    for (const value of [undefined, null, 'HXXXXXXX071US', 42]) {
      const error = configError(value);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain('expected an object with sid and apiKey');
    }
  });

  it('refuses region and baseUrl together', () => {
    const error = configError({ ...base, region: 'in', baseUrl: 'https://api.in.kaleyra.io' });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('region');
    expect(error.message).toContain('baseUrl');
    expect(error.issues).toHaveLength(1);
  });

  it('createKaleyraProvider checks the options at once', () => {
    expect(() => createKaleyraProvider({ sid: SID, apiKey: '' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });
});

describe('resolveKaleyraOptions: the API key never appears in an options error', () => {
  it('an apiKey with a space inside is refused without echoing it', () => {
    const apiKey = 'Ac4XX secret XX21f';
    const error = configError({ sid: SID, apiKey });
    expect(paths(error)).toEqual(['apiKey']);
    const text = renderings(error);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain('secret');
  });

  it('a wrong sid next to a valid apiKey does not echo the key', () => {
    const error = configError({ sid: 'not a sid!', apiKey: API_KEY });
    expect(paths(error)).toEqual(['sid']);
    expect(renderings(error)).not.toContain(API_KEY);
  });

  it('an apiKey given where the sid belongs is not echoed either', () => {
    const error = configError({ sid: 'Ac4XX/XX21f', apiKey: 'Ac4XX/XX21f' });
    expect(renderings(error)).not.toContain('Ac4XX/XX21f');
  });

  it('a wrong callbackUrl or baseUrl (which may carry a token) is not echoed', () => {
    const error = configError({
      ...base,
      callbackUrl: 'htps://app.example.com/dlr?token=s3cr3t-token',
      baseUrl: 'ftp://user:s3cr3t-pass@proxy.example.com',
    });
    const text = renderings(error);
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain(API_KEY);
  });
});
