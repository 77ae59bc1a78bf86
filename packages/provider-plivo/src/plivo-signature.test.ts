import { randomBytes } from 'node:crypto';
import { isOtpError } from '@otpkit/core';
import fc from 'fast-check';
// The official SDK, a dev dependency of this package only: its validation functions are the reference.
import plivo from 'plivo';
import { describe, expect, it } from 'vitest';
import vectors from './__fixtures__/signature-vectors.json' with { type: 'json' };
import { signPlivoV2, signPlivoV3, verifyPlivoSignature } from './plivo-signature.js';

const sdk = plivo as unknown as {
  validateSignature(uri: string, nonce: string, signature: string, authToken: string): boolean;
  validateV3Signature(
    method: string,
    uri: string,
    nonce: string,
    authToken: string,
    signature: string,
    params?: Record<string, string>,
  ): boolean;
};
const { v3 } = vectors;

describe('the published vectors', () => {
  it.each(vectors.v2)('V2: $url', ({ url, nonce, authToken, signature }) => {
    expect(signPlivoV2(url, nonce, authToken)).toBe(signature);
    const headers = { 'X-Plivo-Signature-V2': signature, 'X-Plivo-Signature-V2-Nonce': nonce };
    expect(verifyPlivoSignature({ method: 'POST', url, headers }, { authToken })).toBe(true);
    expect(verifyPlivoSignature({ method: 'POST', url, headers }, { authToken: 'other' })).toBe(false);
  });

  it.each(v3.cases)('V3: $method $url', ({ method, url, signature }) => {
    const params = method === 'POST' ? v3.params : undefined;
    const query = method === 'GET' ? `${url.includes('?') ? '&' : '?'}${new URLSearchParams(v3.params)}` : '';
    expect(signPlivoV3({ method, url, params: v3.params, nonce: v3.nonce }, v3.authToken)).toBe(signature);
    // As the app receives it: a POST's fields in the body, a GET's in the query of the URL called.
    const headers = { 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': v3.nonce };
    const request = { method, url: `${url}${query}`, ...(params ? { params } : {}), headers };
    expect(verifyPlivoSignature(request, { authToken: v3.authToken })).toBe(true);
    expect(sdk.validateV3Signature(method, url, v3.nonce, v3.authToken, signature, v3.params)).toBe(true);
  });
});

describe('verifyPlivoSignature', () => {
  const url = 'https://app.example/plivo/status?tenant=7';
  const params = {
    MessageUUID: '5b40a428-bfc7-4daf-9d06-726c558bf3b8',
    Status: 'delivered',
    To: '14155550123',
  };
  const authToken = 'plivo-signing-token-0001';
  const v3Signature = signPlivoV3({ method: 'POST', url, params, nonce: '99' }, authToken);

  it('accepts either scheme, any of several comma-separated signatures, and the Ma header', () => {
    const v3Headers = {
      'X-Plivo-Signature-V3': `bm90LWl0,${v3Signature}`,
      'X-Plivo-Signature-V3-Nonce': '99',
    };
    expect(verifyPlivoSignature({ method: 'POST', url, params, headers: v3Headers }, { authToken })).toBe(
      true,
    );
    const ma = new Headers({ 'x-plivo-signature-ma-v3': v3Signature, 'x-plivo-signature-v3-nonce': '99' });
    expect(verifyPlivoSignature({ method: 'POST', url, params, headers: ma }, { authToken })).toBe(true);
    const v2Headers = {
      'x-plivo-signature-v2': signPlivoV2(url, '42', authToken),
      'x-plivo-signature-v2-nonce': '42',
    };
    expect(verifyPlivoSignature({ method: 'POST', url, params, headers: v2Headers }, { authToken })).toBe(
      true,
    );
    // A wrong V3 with a right V2: either passing is enough.
    const both = { ...v2Headers, 'x-plivo-signature-v3': 'bm90LWl0', 'x-plivo-signature-v3-nonce': '99' };
    expect(verifyPlivoSignature({ method: 'POST', url, params, headers: both }, { authToken })).toBe(true);
  });

  it('takes the URL with its default port added or removed', () => {
    const signed = signPlivoV2('https://app.example:443/plivo/status', '7', authToken);
    const headers = { 'x-plivo-signature-v2': signed, 'x-plivo-signature-v2-nonce': '7' };
    expect(
      verifyPlivoSignature(
        { method: 'POST', url: 'https://app.example/plivo/status', headers },
        { authToken },
      ),
    ).toBe(true);
  });

  it('refuses a changed field, URL, nonce or method, and no signature at all', () => {
    const headers = { 'x-plivo-signature-v3': v3Signature, 'x-plivo-signature-v3-nonce': '99' };
    const check = (request: Partial<Parameters<typeof verifyPlivoSignature>[0]>) =>
      verifyPlivoSignature({ method: 'POST', url, params, headers, ...request }, { authToken });
    expect(check({})).toBe(true);
    expect(check({ params: { ...params, Status: 'failed' } })).toBe(false);
    expect(check({ url: 'https://app.example/plivo/status?tenant=8' })).toBe(false);
    expect(check({ headers: { ...headers, 'x-plivo-signature-v3-nonce': '98' } })).toBe(false);
    expect(check({ method: 'GET' })).toBe(false);
    expect(check({ headers: {} })).toBe(false);
    expect(check({ params: { nested: { a: 1 } } as never })).toBe(false);
    expect(
      check({
        headers: new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('boom');
            },
          },
        ),
      }),
    ).toBe(false);
  });

  it('needs an Auth Token', () => {
    let thrown: unknown;
    try {
      verifyPlivoSignature({ method: 'POST', url, headers: {} }, { authToken: '' });
    } catch (error) {
      thrown = error;
    }
    expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
  });
});

// The official SDK's validateSignature (V2) and validateV3Signature agree with ours on random payloads.
// Printable ASCII only: the SDK UTF-8-encodes text twice (utf8.encode, then crypto's own), which
// Plivo's Python and Go SDKs do not; see the README.
describe('against the official plivo SDK', () => {
  const text = fc.string({
    unit: fc.constantFrom(...'abcXYZ019-_.~:@ !*()'.split('')),
    minLength: 1,
    maxLength: 12,
  });
  const key = fc.string({
    unit: fc.constantFrom(...'abcdefXYZ0189_-'.split('')),
    minLength: 1,
    maxLength: 10,
  });
  const payload = fc.record({
    host: fc.constantFrom('app.example', 'hooks.example.com:8443', '127.0.0.1:3000'),
    path: fc.constantFrom('', '/', '/plivo/status', '/a/b/', '/status.xml'),
    query: fc.dictionary(key, fc.string({ unit: fc.constantFrom(...'abc123-_'.split('')), maxLength: 6 }), {
      maxKeys: 3,
    }),
    params: fc.dictionary(key, text, { maxKeys: 8 }),
    method: fc.constantFrom('POST', 'GET'),
    nonce: fc.stringMatching(/^\d{1,20}$/),
  });

  it('V3: 300 random callbacks, signed by us, validate with the SDK; a changed one does not', () => {
    fc.assert(
      fc.property(payload, ({ host, path, query, params, method, nonce }) => {
        const search = new URLSearchParams(query).toString();
        const url = `https://${host}${path}${search ? `?${search}` : ''}`;
        const authToken = randomBytes(15).toString('base64url');
        const signature = signPlivoV3({ method, url, params, nonce }, authToken);
        expect(sdk.validateV3Signature(method, url, nonce, authToken, signature, params)).toBe(true);
        expect(sdk.validateV3Signature(method, url, `${nonce}1`, authToken, signature, params)).toBe(false);
        const headers = { 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': nonce };
        const received = method === 'GET' ? appendQuery(url, params) : url;
        const request = { method, url: received, headers, ...(method === 'POST' ? { params } : {}) };
        expect(verifyPlivoSignature(request, { authToken })).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('V2: 300 random URLs and nonces, signed by us, validate with the SDK', () => {
    fc.assert(
      fc.property(payload, ({ host, path, query, nonce }) => {
        const search = new URLSearchParams(query).toString();
        const url = `https://${host}${path}${search ? `?${search}` : ''}`;
        const authToken = randomBytes(15).toString('base64url');
        const signature = signPlivoV2(url, nonce, authToken);
        expect(sdk.validateSignature(url, nonce, signature, authToken)).toBe(true);
        expect(sdk.validateSignature(url, `${nonce}1`, signature, authToken)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

function appendQuery(url: string, params: Record<string, string>): string {
  const search = new URLSearchParams(params).toString();
  if (!search) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${search}`;
}
