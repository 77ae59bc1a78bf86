import * as crypto from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeTwilioSignature, verifyTwilioSignature } from './twilio-signature.js';

// Spy on the constant-time comparison, calling through to the real one.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
afterEach(() => timingSafeEqual.mockClear());

// The vectors of the vendor notes (Twilio's security docs, twilio-python's test_request_validator.py).
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const URL_443 = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
const HTTP_URL = 'http://mycompany.com/myapp.php?foo=1&bar=2';
const HTTP_URL_80 = 'http://mycompany.com:80/myapp.php?foo=1&bar=2';
const DOCS_PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};
const SDK_PARAMS = { ...DOCS_PARAMS, Caller: '+14158675309', From: '+14158675309' };
const JSON_BODY = '{"property": "value", "boolean": true}';
const BODY_SHA256 = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';

describe('the vectors of the notes', () => {
  it('docs example: 0/KCTR6DLpKmkAf8muzZqo1nDgQ=', () => {
    expect(computeTwilioSignature(TOKEN, URL_, DOCS_PARAMS)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        url: URL_,
        params: DOCS_PARAMS,
        signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
      }),
    ).toBe(true);
  });

  it('SDK test: RSOYDt4T1cUTdK1PDd93/VVr8B8=', () => {
    expect(computeTwilioSignature(TOKEN, URL_, SDK_PARAMS)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        url: URL_,
        params: SDK_PARAMS,
        signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      }),
    ).toBe(true);
  });

  it('SDK test at :443: kvajT1Ptam85bY51eRf/AJRuM3w=, accepted with or without the port in the URL', () => {
    const signature = 'kvajT1Ptam85bY51eRf/AJRuM3w=';
    expect(computeTwilioSignature(TOKEN, URL_443, SDK_PARAMS)).toBe(signature);
    expect(verifyTwilioSignature({ authToken: TOKEN, url: URL_443, params: SDK_PARAMS, signature })).toBe(
      true,
    );
    // Twilio signed with the port; the app rebuilt the URL without it.
    expect(verifyTwilioSignature({ authToken: TOKEN, url: URL_, params: SDK_PARAMS, signature })).toBe(true);
  });

  it('the portless signature is accepted when the app rebuilt the URL with :443', () => {
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        url: URL_443,
        params: SDK_PARAMS,
        signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      }),
    ).toBe(true);
  });

  it('SDK test, http at :80: 0ZXoZLH/DfblKGATFgpif+LLRf4=, accepted with or without :80', () => {
    const signature = '0ZXoZLH/DfblKGATFgpif+LLRf4=';
    expect(computeTwilioSignature(TOKEN, HTTP_URL_80, SDK_PARAMS)).toBe(signature);
    expect(verifyTwilioSignature({ authToken: TOKEN, url: HTTP_URL_80, params: SDK_PARAMS, signature })).toBe(
      true,
    );
    expect(verifyTwilioSignature({ authToken: TOKEN, url: HTTP_URL, params: SDK_PARAMS, signature })).toBe(
      true,
    );
  });

  it('repeated keys: IK+Dwps556ElfBT0I3Rgjkr1wJU=, as an array or as URLSearchParams, in any order', () => {
    const signature = 'IK+Dwps556ElfBT0I3Rgjkr1wJU=';
    const asObject = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234'] };
    expect(computeTwilioSignature(TOKEN, URL_, asObject)).toBe(signature);
    expect(verifyTwilioSignature({ authToken: TOKEN, url: URL_, params: asObject, signature })).toBe(true);
    const asForm = new URLSearchParams('Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234');
    expect(verifyTwilioSignature({ authToken: TOKEN, url: URL_, params: asForm, signature })).toBe(true);
    const reordered = new URLSearchParams('Digits=1234&SidAccount=AC123&Digits=5678&Sid=CA123');
    expect(verifyTwilioSignature({ authToken: TOKEN, url: URL_, params: reordered, signature })).toBe(true);
  });

  it('the signed string of repeated keys is Digits1234Digits5678 before Sid…', () => {
    const expected = crypto
      .createHmac('sha1', TOKEN)
      .update(`${URL_}Digits1234Digits5678SidCA123SidAccountAC123`)
      .digest('base64');
    expect(expected).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('JSON body: bodySHA256 in the URL, the URL signed alone: a9nBmqA0ju/hNViExpshrM61xv4=', () => {
    expect(crypto.createHash('sha256').update(JSON_BODY).digest('hex')).toBe(BODY_SHA256);
    const url = `${URL_}&bodySHA256=${BODY_SHA256}`;
    const signature = 'a9nBmqA0ju/hNViExpshrM61xv4=';
    expect(computeTwilioSignature(TOKEN, url)).toBe(signature);
    expect(verifyTwilioSignature({ authToken: TOKEN, url, body: JSON_BODY, signature })).toBe(true);
    expect(
      verifyTwilioSignature({ authToken: TOKEN, url, body: new TextEncoder().encode(JSON_BODY), signature }),
    ).toBe(true);
    // Signed as a URL with no params, even without the body check.
    expect(verifyTwilioSignature({ authToken: TOKEN, url, signature })).toBe(true);
  });
});

describe('refusals', () => {
  const valid = {
    authToken: TOKEN,
    url: URL_,
    params: SDK_PARAMS,
    signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
  };

  it('another token', () => {
    expect(verifyTwilioSignature({ ...valid, authToken: '54321' })).toBe(false);
  });

  it('a changed, added or missing field', () => {
    expect(verifyTwilioSignature({ ...valid, params: { ...SDK_PARAMS, Digits: '9999' } })).toBe(false);
    expect(verifyTwilioSignature({ ...valid, params: { ...SDK_PARAMS, MessageStatus: 'delivered' } })).toBe(
      false,
    );
    const { Digits: _, ...fewer } = SDK_PARAMS;
    expect(verifyTwilioSignature({ ...valid, params: fewer })).toBe(false);
    expect(verifyTwilioSignature({ ...valid, params: undefined })).toBe(false);
  });

  it('another URL: path, query, scheme, host, or a non-default port', () => {
    for (const url of [
      'https://mycompany.com/other.php?foo=1&bar=2',
      'https://mycompany.com/myapp.php?foo=1&bar=3',
      'https://mycompany.com/myapp.php',
      HTTP_URL,
      'https://evil.example/myapp.php?foo=1&bar=2',
      'https://mycompany.com:8443/myapp.php?foo=1&bar=2',
      'https://mycompany.com:80/myapp.php?foo=1&bar=2',
    ]) {
      expect(verifyTwilioSignature({ ...valid, url }), url).toBe(false);
    }
  });

  it('a non-default port is never dropped', () => {
    const url = 'https://mycompany.com:8443/myapp.php';
    const signature = computeTwilioSignature(TOKEN, url, SDK_PARAMS);
    expect(verifyTwilioSignature({ authToken: TOKEN, url, params: SDK_PARAMS, signature })).toBe(true);
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        url: 'https://mycompany.com/myapp.php',
        params: SDK_PARAMS,
        signature,
      }),
    ).toBe(false);
  });

  it('a signature that is missing, empty, repeated, of another length, or another encoding', () => {
    for (const signature of [
      undefined,
      null,
      '',
      '   ',
      ['RSOYDt4T1cUTdK1PDd93/VVr8B8='],
      'RSOYDt4T1cUTdK1PDd93',
      'x',
    ]) {
      expect(verifyTwilioSignature({ ...valid, signature }), JSON.stringify(signature)).toBe(false);
    }
    const hex = Buffer.from('RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'base64').toString('hex');
    expect(verifyTwilioSignature({ ...valid, signature: hex })).toBe(false);
    expect(verifyTwilioSignature({ ...valid, signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8A' })).toBe(false);
  });

  it('JSON body: a body that does not match bodySHA256, or no bodySHA256 at all', () => {
    const url = `${URL_}&bodySHA256=${BODY_SHA256}`;
    const signature = 'a9nBmqA0ju/hNViExpshrM61xv4=';
    expect(verifyTwilioSignature({ authToken: TOKEN, url, body: '{"property": "other"}', signature })).toBe(
      false,
    );
    const unsigned = computeTwilioSignature(TOKEN, URL_);
    expect(verifyTwilioSignature({ authToken: TOKEN, url: URL_, body: JSON_BODY, signature: unsigned })).toBe(
      false,
    );
  });

  it('a missing authToken throws INVALID_CONFIG; a missing url throws INVALID_INPUT', () => {
    for (const authToken of ['', undefined, null]) {
      expect(() =>
        verifyTwilioSignature({ ...valid, authToken: authToken as unknown as string }),
      ).toThrowError(expect.objectContaining({ code: 'INVALID_CONFIG', provider: 'twilio' }));
    }
    expect(() => verifyTwilioSignature({ ...valid, url: '' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('a URL that is not absolute is signed as is (no port variants)', () => {
    const signature = computeTwilioSignature(TOKEN, '/twilio/status', SDK_PARAMS);
    expect(
      verifyTwilioSignature({ authToken: TOKEN, url: '/twilio/status', params: SDK_PARAMS, signature }),
    ).toBe(true);
  });
});

describe('URLs with userinfo and IPv6 hosts keep their shape', () => {
  it.each([
    ['https://user:pass@mycompany.com/cb', 'https://user:pass@mycompany.com:443/cb'],
    ['https://[2001:db8::1]/cb', 'https://[2001:db8::1]:443/cb'],
    ['HTTPS://MyCompany.com/cb?x=1#frag', 'HTTPS://MyCompany.com:443/cb?x=1#frag'],
  ])('%s ⇄ %s', (without, withPort) => {
    const signedWith = computeTwilioSignature(TOKEN, withPort, DOCS_PARAMS);
    const signedWithout = computeTwilioSignature(TOKEN, without, DOCS_PARAMS);
    expect(
      verifyTwilioSignature({ authToken: TOKEN, url: without, params: DOCS_PARAMS, signature: signedWith }),
    ).toBe(true);
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        url: withPort,
        params: DOCS_PARAMS,
        signature: signedWithout,
      }),
    ).toBe(true);
  });
});

describe('constant time', () => {
  it('compares with crypto.timingSafeEqual, on buffers of equal length, for every URL variant', () => {
    verifyTwilioSignature({
      authToken: TOKEN,
      url: URL_,
      params: SDK_PARAMS,
      signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    });
    // The URL as given, and with :443.
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    for (const [left, right] of timingSafeEqual.mock.calls) {
      expect((left as Buffer).length).toBe((right as Buffer).length);
    }
  });

  it('a signature of another length is refused without calling timingSafeEqual (which would throw)', () => {
    expect(
      verifyTwilioSignature({ authToken: TOKEN, url: URL_, params: SDK_PARAMS, signature: 'short' }),
    ).toBe(false);
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });
});

describe('verifyTwilioSignature never throws on what a caller sends', () => {
  const authToken = 'twilio-hostile-auth-token';
  const url = 'https://app.example.com/twilio/status';

  it('null, nested (a[b]=1) and non-form values, and a numeric body, are false', () => {
    const signature = computeTwilioSignature(authToken, url, { a: '1' });
    for (const params of [
      { a: null },
      { a: { b: '1' } },
      { a: [{ b: '1' }] },
      { a: [null] },
      { a: Number.NaN },
      { a: () => 1 },
      42,
      'a=1',
    ]) {
      expect(
        verifyTwilioSignature({ authToken, url, params: params as never, signature }),
        JSON.stringify(params),
      ).toBe(false);
    }
    expect(verifyTwilioSignature({ authToken, url, body: 42 as never, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken, url, body: { a: 1 } as never, signature })).toBe(false);
    // The good one still passes.
    expect(verifyTwilioSignature({ authToken, url, params: { a: '1' }, signature })).toBe(true);
  });

  it('a Proxy or a getter that throws is false', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const params = new Proxy({}, { ownKeys: trap, get: trap });
    const getter = Object.defineProperty({}, 'a', { enumerable: true, get: trap });
    expect(verifyTwilioSignature({ authToken, url, params, signature: 'abc' })).toBe(false);
    expect(verifyTwilioSignature({ authToken, url, params: getter, signature: 'abc' })).toBe(false);
  });

  it('over arbitrary params, bodies, URLs and signatures: a boolean, never a throw', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.oneof(fc.constant(undefined), fc.anything()),
        fc.string({ minLength: 1 }),
        fc.anything(),
        (params, body, anyUrl, signature) => {
          const input = { authToken, url: anyUrl, params, body, signature } as never;
          expect(typeof verifyTwilioSignature(input)).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });
});
