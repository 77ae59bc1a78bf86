import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isOtpError, type OtpError } from './errors.js';
import type { OtpMessage } from './types.js';
import {
  E164_PATTERN,
  httpBaseUrl,
  isMessageId,
  MAX_BODY_LENGTH,
  MAX_MESSAGE_ID_LENGTH,
  toOtpIssues,
  validateMessage,
} from './validation.js';

const BODY = 'Your code is 482913';
const CODE = '482913';
const TO = '+919876543210';

/** Runs `validateMessage` and returns the error it must throw. */
function refusal(input: unknown): OtpError {
  try {
    validateMessage(input);
  } catch (error) {
    if (!isOtpError(error)) throw error;
    return error;
  }
  throw new Error('expected validateMessage to throw');
}

/** Everything a refusal exposes to logs: the message and the issues. */
function exposed(error: OtpError): string {
  return `${error.message}\n${JSON.stringify(error.issues)}\n${JSON.stringify(error)}`;
}

function expectRefused(input: unknown, field: string, offending?: unknown): OtpError {
  const error = refusal(input);
  expect(error.code).toBe('INVALID_INPUT');
  expect(error.retryable).toBe(false);
  expect(error.message).toContain(`${field}:`);
  expect(error.issues?.map((issue) => issue.path)).toContain(field);
  // The body holds the code: it never appears, whatever field was wrong.
  expect(exposed(error)).not.toContain(CODE);
  if (typeof offending === 'string' && offending.length > 1) {
    expect(exposed(error)).not.toContain(offending);
  }
  return error;
}

describe('validateMessage: to', () => {
  it.each([
    ['a US number', '+14155550123'],
    ['an Indian number', TO],
    ['the shortest: 7 digits', '+1234567'],
    ['the longest: 15 digits', '+123456789012345'],
    ['a number starting with 9', '+971501234567'],
  ])('accepts %s (%s)', (_what, to) => {
    expect(validateMessage({ to, body: BODY }).to).toBe(to);
  });

  it.each<[string, unknown]>([
    ['spaces', '+91 98765 43210'],
    ['a leading space', ' +919876543210'],
    ['a trailing newline', '+919876543210\n'],
    ['dashes', '+91-98765-43210'],
    ['brackets', '+91(98765)43210'],
    ['a comma-separated list', '+919876543210,+919876543211'],
    ['a comma and space separated list', '+919876543210, +919876543211'],
    ['a space-separated list', '+919876543210 +919876543211'],
    ['a semicolon-separated list', '+919876543210;+919876543211'],
    ['letters', '+9198765432AB'],
    ['a letter O for a zero', '+91987654321O'],
    ['a leading zero after +', '+0919876543210'],
    ['a national number with a leading zero', '09876543210'],
    ['"+" alone', '+'],
    ['a missing "+"', '919876543210'],
    ['a double "+"', '++919876543210'],
    ['16 digits', '+9198765432101234'],
    ['6 digits', '+919876'],
    ['non-ASCII digits', '+٩١٩٨٧٦٥٤٣٢١٠'],
    ['fullwidth digits', '+９１９８７６５４３２１０'],
    ['an empty string', ''],
    ['a number', 919876543210],
    ['null', null],
    ['undefined', undefined],
    ['an array of numbers', ['+919876543210', '+919876543211']],
    ['an object', { number: '+919876543210' }],
  ])('refuses %s', (_what, to) => {
    const error = expectRefused({ to, body: BODY }, 'to', to);
    expect(error.message).toContain('E.164');
  });

  it('E164_PATTERN is anchored at both ends', () => {
    expect(E164_PATTERN.test('x+919876543210')).toBe(false);
    expect(E164_PATTERN.test('+919876543210x')).toBe(false);
  });
});

describe('validateMessage: body', () => {
  it('accepts a body of 1 and of MAX_BODY_LENGTH characters', () => {
    expect(MAX_BODY_LENGTH).toBe(1600);
    expect(validateMessage({ to: TO, body: '1' }).body).toBe('1');
    const longest = `${BODY} ${'x'.repeat(MAX_BODY_LENGTH - BODY.length - 1)}`;
    expect(validateMessage({ to: TO, body: longest }).body).toBe(longest);
  });

  it.each<[string, unknown]>([
    ['an empty body', ''],
    ['a body one character too long', `${BODY} ${'x'.repeat(MAX_BODY_LENGTH - BODY.length)}`],
    ['a missing body', undefined],
    ['a numeric body', 482913],
    ['null', null],
  ])('refuses %s, without echoing it', (_what, body) => {
    expectRefused({ to: TO, body }, 'body', body);
  });
});

const TEXT_FIELDS = [
  ['sender', 15],
  ['templateId', 64],
  ['reference', 256],
] as const;

describe.each(TEXT_FIELDS)('validateMessage: %s (1 to %i characters)', (field, max) => {
  it('is optional', () => {
    expect(validateMessage({ to: TO, body: BODY })).not.toHaveProperty(field);
  });

  it.each([
    ['one character', 'A'],
    ['the longest value', 'A'.repeat(max)],
    ['letters, digits and punctuation', 'Ab1-_.'],
  ])('accepts %s', (_what, value) => {
    expect(validateMessage({ to: TO, body: BODY, [field]: value })[field]).toBe(value);
  });

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['one character too many', 'Q'.repeat(max + 1)],
    ['a CR/LF (header injection)', 'ACME\r\nBcc: evil'],
    ['a line feed', 'ACME\nX'],
    ['a NUL', 'ACME\u0000X'],
    ['a tab', 'ACME\tX'],
    ['a DEL', 'ACME\u007fX'],
    ['a C1 control character', 'ACME\u0085X'],
    ['a number', 12345],
    ['null', null],
    ['an object', { value: 'x' }],
  ])('refuses %s, naming the field and not echoing the value', (_what, value) => {
    expectRefused({ to: TO, body: BODY, [field]: value }, field, value);
  });
});

describe('validateMessage: callbackUrl', () => {
  it.each([
    'https://example.com/otp/callback?token=s3cr3t',
    'http://localhost:8080/dlr',
    'HTTPS://EXAMPLE.COM/DLR',
  ])('accepts %s', (callbackUrl) => {
    expect(validateMessage({ to: TO, body: BODY, callbackUrl }).callbackUrl).toBe(callbackUrl);
  });

  it.each<[string, unknown]>([
    ['ftp:', 'ftp://example.com/dlr-token-1'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['file:', 'file:///etc/passwd'],
    ['data:', 'data:text/html,hello-token'],
    ['mailto:', 'mailto:ops@example.com'],
    ['a relative URL', '/dlr/relative-token'],
    ['a protocol-relative URL', '//example.com/dlr-token'],
    ['garbage', 'not a url at all'],
    ['an empty string', ''],
    ['a number', 42],
  ])('refuses %s without echoing the URL', (_what, callbackUrl) => {
    const error = expectRefused({ to: TO, body: BODY, callbackUrl }, 'callbackUrl', callbackUrl);
    expect(error.message).toContain('http or https');
  });
});

describe('validateMessage: the whole message', () => {
  it('returns a clean copy holding only the known fields', () => {
    const input = {
      to: TO,
      body: BODY,
      sender: 'ACME',
      templateId: '1107160000000000001',
      callbackUrl: 'https://example.com/dlr',
      reference: 'order-42',
      apiKey: 'sk_live_secret',
      extra: { nested: true },
    };
    const message = validateMessage(input);
    expect(message).toEqual({
      to: TO,
      body: BODY,
      sender: 'ACME',
      templateId: '1107160000000000001',
      callbackUrl: 'https://example.com/dlr',
      reference: 'order-42',
    });
    expect(message).not.toBe(input);
    expect(message).not.toHaveProperty('apiKey');
    expect(message).not.toHaveProperty('extra');
  });

  it('does not let a "__proto__" key of JSON.parse\'d input pollute anything', () => {
    const input: unknown = JSON.parse(
      `{"to":"${TO}","body":"${BODY}","__proto__":{"polluted":"yes","to":"+14155550000"}}`,
    );
    const message = validateMessage(input);
    expect(message).toEqual({ to: TO, body: BODY });
    expect(Object.getPrototypeOf(message)).toBe(Object.prototype);
    expect(Object.hasOwn(message, '__proto__')).toBe(false);
    expect((message as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a "__proto__" that tries to supply the required fields', () => {
    const input: unknown = JSON.parse(`{"__proto__":{"to":"${TO}","body":"${BODY}"}}`);
    const error = expectRefused(input, 'to');
    expect(error.message).toContain('body:');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', `${TO} ${BODY}`],
    ['a number', 482913],
    ['an array', [TO, BODY]],
  ])('refuses %s as a message', (_what, input) => {
    const error = refusal(input);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('message: expected an object');
    expect(exposed(error)).not.toContain(CODE);
  });

  it('names every wrong field at once', () => {
    const error = refusal({
      to: '+91 98765 43210',
      body: '',
      sender: 'ACME\r\n',
      templateId: '',
      callbackUrl: 'ftp://x',
      reference: 'r'.repeat(300),
    });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues?.map((issue) => issue.path)).toEqual([
      'to',
      'body',
      'sender',
      'templateId',
      'callbackUrl',
      'reference',
    ]);
    for (const field of ['to:', 'body:', 'sender:', 'templateId:', 'callbackUrl:', 'reference:']) {
      expect(error.message).toContain(field);
    }
    expect(exposed(error)).not.toContain('98765 43210');
    expect(exposed(error)).not.toContain('ftp://x');
  });

  it('never puts the body in the error, whichever field is wrong', () => {
    const cases: unknown[] = [
      { to: 'nope', body: BODY },
      { to: TO, body: `${BODY}${'!'.repeat(MAX_BODY_LENGTH)}` },
      { to: TO, body: BODY, sender: '' },
      { to: TO, body: BODY, callbackUrl: `https://x.test/${CODE}`.replace('https', 'ftp') },
    ];
    for (const input of cases) {
      const error = refusal(input);
      expect(exposed(error)).not.toContain(CODE);
      expect(String(error.stack)).not.toContain(CODE);
    }
  });

  it('returns a validated message again as is, and still validates fresh objects', () => {
    const message: OtpMessage = validateMessage({ to: TO, body: BODY });
    expect(validateMessage(message)).toBe(message);
    expect(() => validateMessage({ ...message, to: 'bad' })).toThrow(/to:/);
  });
});

describe('a hostile message', () => {
  it('a throwing getter or Proxy trap is INVALID_INPUT, not a plain Error, and what it threw is not kept', () => {
    const getter = Object.defineProperty({ to: TO }, 'body', {
      enumerable: true,
      get() {
        throw new Error(`leaked ${BODY}`);
      },
    });
    const trap = () => {
      throw new Error(`leaked ${BODY}`);
    };
    const proxies = [
      new Proxy({}, { get: trap }),
      new Proxy({}, { getPrototypeOf: trap }),
      new Proxy({}, { has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap }),
    ];
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const input of [getter, ...proxies, proxy]) {
      const error = refusal(input);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.cause).toBeUndefined();
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(CODE);
    }
  });

  it('a sender with format or separator characters (spoofing tools) is INVALID_INPUT', () => {
    for (const sender of [
      'OTP\u2028KIT',
      'OTP\u202eTIK',
      'OTP\u200bKIT',
      'OTP\u00a0KIT',
      'OTP\u2029',
      '\ufeffOTP',
      'OTP\u2066',
    ]) {
      const error = refusal({ to: TO, body: BODY, sender });
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.issues?.[0]?.path).toBe('sender');
      expect(error.message).not.toContain(sender);
    }
    expect(validateMessage({ to: TO, body: BODY, sender: 'My App' }).sender).toBe('My App');
    expect(validateMessage({ to: TO, body: BODY, sender: 'KLRHXA' }).sender).toBe('KLRHXA');
  });
});

describe('isMessageId and httpBaseUrl', () => {
  it('accepts vendor ids and refuses blank, control characters, lone surrogates and anything over 128', () => {
    for (const id of [
      'a',
      'SM1234567890abcdef',
      '0C000000217B7F02',
      'x'.repeat(MAX_MESSAGE_ID_LENGTH),
      'a b',
    ]) {
      expect(isMessageId(id), id).toBe(true);
    }
    for (const id of [
      '',
      '   ',
      'a\rb',
      'a\nb',
      'a\u0000',
      'a\u0085',
      '\uD800',
      'x'.repeat(129),
      42,
      null,
      undefined,
    ]) {
      expect(isMessageId(id), JSON.stringify(id)).toBe(false);
    }
  });

  it('a base URL takes no user:password@, ?query or #fragment, and is never echoed', () => {
    const schema = httpBaseUrl(
      'baseUrl: expected an http or https URL without user:password@, ?query or #fragment',
    );
    for (const good of [
      'https://api.kaleyra.io',
      'http://127.0.0.1:4010/',
      'https://proxy.example/kaleyra',
    ]) {
      expect(v.safeParse(schema, good).success, good).toBe(true);
    }
    for (const bad of [
      'https://user:hunter2@api.example',
      'https://hunter2@api.example',
      'https://api.example/?token=hunter2',
      'https://api.example/#hunter2',
      'https://api.example?',
      'ftp://api.example',
      'not a url',
    ]) {
      const result = v.safeParse(schema, bad);
      expect(result.success, bad).toBe(false);
      expect(JSON.stringify(toOtpIssues(result.issues ?? []))).not.toContain('hunter2');
    }
  });
});
