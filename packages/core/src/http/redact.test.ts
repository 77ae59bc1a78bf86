import { describe, expect, it } from 'vitest';
import { httpError, redact, safeVendorCode } from '../http.js';

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redact('key=abcd1234; again abcd1234; code 482913', ['abcd1234', '482913'])).toBe(
      'key=[redacted]; again [redacted]; code [redacted]',
    );
    expect(redact('abcdabcd', ['abcd'])).toBe('[redacted][redacted]');
  });

  it('ignores undefined, empty and short secrets (under 4 characters)', () => {
    expect(redact('a 123 b', [undefined, '', '123'])).toBe('a 123 b');
    expect(redact('a 1234 b', ['1234'])).toBe('a [redacted] b');
  });

  it('also redacts a secret as it travels in a form body or a URL', () => {
    const secret = 'p@ss+w/rd =1&2';
    const echoed = [
      `api_secret=${new URLSearchParams({ s: secret }).toString().slice(2)}`,
      `api_secret=${encodeURIComponent(secret)}`,
      `raw ${secret}`,
    ].join('; ');
    const out = redact(echoed, [secret]);
    expect(out).toBe('api_secret=[redacted]; api_secret=[redacted]; raw [redacted]');
    expect(redact('text=Your+code+is+482913&to=1415', ['Your code is 482913'])).toBe(
      'text=[redacted]&to=1415',
    );
    // A lone surrogate has no percent-encoding: no throw, the other spellings still go.
    expect(redact('x \uD800abc x', ['\uD800abc'])).toBe('x [redacted] x');
    // Short secrets stay ignored in every spelling.
    expect(redact('a+b a%20b a b', ['a b'])).toBe('a+b a%20b a b');
  });

  it('leaves text without secrets alone, and treats secrets literally', () => {
    expect(redact('nothing here', ['abcd'])).toBe('nothing here');
    expect(redact('a.b* and a.b*', ['a.b*'])).toBe('[redacted] and [redacted]');
    expect(redact('$&$& x', ['$&$&'])).toBe('[redacted] x');
  });
});

describe("redaction of the vendor's answer", () => {
  const apiKey = 'Ak-hostile-secret-key-0001';
  const body = 'Your code is 482913';
  const classify = (status: number, vendorCode: string, vendorMessage: string) =>
    httpError({ provider: 'acme', status, isJson: true, vendorCode, vendorMessage, secrets: [apiKey, body] });

  for (const status of [200, 400, 503]) {
    it(`the vendor's code holding the key is redacted in providerCode, message and JSON (HTTP ${status})`, () => {
      const error = classify(status, apiKey, 'bad key');
      expect(error.providerCode).toBe('[redacted]');
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(apiKey);
    });

    it(`the code alone, or the body with its spaces changed, is redacted (HTTP ${status})`, () => {
      for (const text of ['text containing 482913 is not allowed', 'body "Your  code  is  482913" refused']) {
        const error = classify(status, 'E413', text);
        expect(error.message).not.toContain('482913');
        expect(error.message).toContain('[redacted]');
      }
    });
  }

  it('a vendor code that is not a short code is left out', () => {
    expect(classify(400, 'x'.repeat(65), 'long').providerCode).toBeUndefined();
    expect(classify(400, 'E1\r\nSet-Cookie: a', 'crlf').providerCode).toBeUndefined();
    expect(classify(400, 'E1 2', 'space').message).not.toContain('E1 2');
    expect(classify(400, 'E413', 'fine').providerCode).toBe('E413');
    expect(classify(400, '21211', 'fine').providerCode).toBe('21211');
  });

  it('safeVendorCode and redact, directly', () => {
    expect(safeVendorCode('x'.repeat(64), [])).toBe('x'.repeat(64));
    expect(safeVendorCode('Ak-hostile-secret-key-0001-and-more', [apiKey])).toBe('[redacted]');
    expect(redact('quotes 482913 and 4829 and 12345678901', [body])).toBe(
      'quotes [redacted] and 4829 and 12345678901',
    );
    expect(redact('the code 0042 inside', ['Your code: 0042'])).toBe('the code [redacted] inside');
  });
});
