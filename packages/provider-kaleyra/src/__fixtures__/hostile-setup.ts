// Shared by the kaleyra-hostile-*.test.ts files: an msw vendor that records every request, the
// checks of a clean request and of a clean Object.prototype, and the hostile values.
import { isOtpError, type OtpErrorCode, type OtpMessage } from '@otpkit/core';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { KaleyraProviderOptions } from '../kaleyra-options.js';
import { createKaleyraProvider, type KaleyraProvider } from '../kaleyra-provider.js';
/**
 * Hostile input against the Kaleyra provider, property-based: messages, provider options (Kaleyra's and
 * the fake's), vendor replies and delivery-report payloads made of arbitrary strings, unicode, very long
 * values, prototype-pollution keys and almost-numbers. Each input passes or is refused with `OtpError`
 * before any request (msw counts them and errors on any unexpected one); an accepted message reaches
 * Kaleyra with exactly the expected form fields, values unchanged, and no extra header; nothing throws
 * anything else, nothing hangs, and `Object.prototype` stays clean.
 */

export const SID = 'HXHOSTILE01IN';
export const API_KEY = 'Ak-hostile-7c2e9b41d0';

// ---------------------------------------------------------------------------------------------------
// The vendor, through msw: counts and records every request; anything unexpected is an error.

export interface Seen {
  headers: [string, string][];
  fields: [string, string][];
}
export const seen: Seen[] = [];
/** What the next requests get back; the default is the seed's success shape. */
let reply: () => Response = () => success();

/** What the next requests get back, until the next case. */
export function setReply(next: () => Response): void {
  reply = next;
}

export function success(extra: Record<string, unknown> = {}): Response {
  return HttpResponse.json({
    id: 'c5d8ca9f-4a1c-4d3b-9a4e-2f1a5b6c7d8e',
    sender: 'KLRHXA',
    type: 'OTP',
    body: 'echoed',
    createdDateTime: '2019-11-04 10:42:23+00:00',
    totalCount: 1,
    data: [{ message_id: 'c5d8ca9f-4a1c-4d3b-9a4e-2f1a5b6c7d8e:1', recipient: '14155550123' }],
    dlrurl: null,
    error: {},
    ...extra,
  });
}

export const server = setupServer(
  http.post(`https://api.kaleyra.io/v1/:sid/messages`, async ({ request }) => {
    seen.push({ headers: [...request.headers], fields: [...new URLSearchParams(await request.text())] });
    return reply();
  }),
);

export const warnings: Error[] = [];
export const onWarning = (warning: Error) => warnings.push(warning);
export const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  process.on('warning', onWarning);
});
afterEach(() => {
  reply = () => success();
});
afterAll(() => {
  server.close();
  process.off('warning', onWarning);
  expectNoPollution();
});

export function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'to', 'body', 'sid', 'apiKey', 'message_id', 'status', 'isAdmin']) {
    expect(probe[key], `Object.prototype.${key}`).toBeUndefined();
  }
}

/** Fails instead of hanging. */
export async function within<T>(promise: Promise<T>, ms = 3000, what = 'operation'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung for ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `run`; it must return, or throw `OtpError` with one of `codes`. */
export function outcomeOf<T>(
  run: () => T,
  ...codes: OtpErrorCode[]
): { ok: true; value: T } | { ok: false; error: Error } {
  try {
    return { ok: true, value: run() };
  } catch (error: unknown) {
    if (!codes.some((code) => isOtpError(error, code)) || !(error instanceof Error)) {
      throw new Error(`expected OtpError ${codes.join('/')} or success, got ${String(error)}`, {
        cause: error,
      });
    }
    return { ok: false, error };
  }
}

/** Awaits `promise` (guarded); it must resolve, or reject with `OtpError` (one of `codes` if given). */
export async function settle<T>(
  promise: Promise<T>,
  what: string,
  ...codes: OtpErrorCode[]
): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  const result = await within(
    promise.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error: error as Error }),
    ),
    3000,
    what,
  );
  if (!result.ok) {
    const good =
      codes.length === 0 ? isOtpError(result.error) : codes.some((c) => isOtpError(result.error, c));
    if (!good) throw new Error(`${what}: expected OtpError ${codes.join('/')}, got ${String(result.error)}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Hostile values.

export const NASTY = [
  '',
  ' ',
  '+',
  '\r\n',
  'KLR\r\nX-Injected: yes',
  'X\nX-Injected: yes',
  '\u0000',
  '\u2028',
  '\uD800',
  '%0d%0aX-Injected:%20yes',
  '&to=+19999999999',
  '&type=TXN&x=',
  'a=b&c=d',
  '=',
  '&',
  '?',
  '#',
  '%',
  '%%41',
  '+',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'http://',
  'https://example.com/cb?x=1&y=2#frag',
  'http://example.com/\r\nX-Injected: yes',
  'https://user:pass@example.com:8443/p?q=%0d%0a',
  'javascript:alert(1)',
  'data:text/plain,hi',
  '🙂',
  '١٢٣',
  '１２３',
  '\u202E',
] as const;

export const longString = fc
  .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.integer({ min: 100, max: 5000 }))
  .map(([chunk, times]) => chunk.repeat(times));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...NASTY),
  // Short texts made of the characters that matter to forms and headers.
  fc
    .array(fc.constantFrom('a', 'Z', '0', '&', '=', '+', '%', '\r', '\n', ' ', ';', ':', '?', '#'), {
      minLength: 1,
      maxLength: 15,
    })
    .map((chars) => chars.join('')),
  longString,
);

export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  maxDepth: 2,
});

export const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
export const e164 = fc
  .tuple(fc.constantFrom('1', '4', '9', '91', '44'), digits(6, 12))
  .map(([cc, rest]) => `+${cc}${rest}`)
  .filter((number) => number.length <= 16);
export const NOT_A_DIGIT = [
  ' ',
  ',',
  ';',
  '-',
  '.',
  '(',
  ')',
  'a',
  'e',
  '\n',
  '\r\n',
  '+',
  '&',
  '=',
  '١',
  '１',
];
export const brokenNumber = fc.oneof(
  fc.tuple(e164, fc.nat(), fc.constantFrom(...NOT_A_DIGIT)).map(([number, at, char]) => {
    const index = at % (number.length + 1);
    return number.slice(0, index) + char + number.slice(index);
  }),
  digits(6, 14).map((rest) => `+0${rest}`),
  e164.map((number) => number.slice(1)),
  fc.constant('+'),
  fc.tuple(e164, e164).map(([a, b]) => `${a},${b}`),
);

/** Text with a lone surrogate, as left by cutting an emoji in half: it cannot be encoded as sent. */
export const brokenUnicode = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\uD83D', '\uDE00', '\uDBFF', '\uDC00'),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, lone, b]) => `${a}${lone}${b}`)
  .filter((text) => /[\uD800-\uDFFF]/u.test(text));

export const optional = (arb: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: arb });

// ---------------------------------------------------------------------------------------------------

/** Header names a plain, good send carries; every other send must carry exactly these. */
export let baselineHeaders: string[] = [];

export const PROVIDER_CONFIGS: readonly Partial<KaleyraProviderOptions>[] = [
  {},
  { sender: 'KLRHXA', templateId: 'TPL_1207-16', callbackUrl: 'https://example.com/dlr?token=abc&x=1' },
  { requireTemplateIdForIndia: false },
];

export function kaleyra(config: Partial<KaleyraProviderOptions> = {}): KaleyraProvider {
  return createKaleyraProvider({ sid: SID, apiKey: API_KEY, ...config });
}

export const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });

/** The form Kaleyra must get for an accepted message, in the order the provider writes it. */
export function expectedFields(
  message: OtpMessage,
  config: Partial<KaleyraProviderOptions>,
): [string, string][] {
  const fields: [string, string][] = [
    ['to', message.to],
    ['type', 'OTP'],
  ];
  const sender = message.sender ?? config.sender;
  if (sender !== undefined) fields.push(['sender', sender]);
  fields.push(['body', message.body]);
  const callback = message.callbackUrl ?? config.callbackUrl;
  if (callback !== undefined) fields.push(['callback', callback]);
  const templateId = message.templateId ?? config.templateId;
  if (templateId !== undefined) fields.push(['template_id', templateId]);
  return fields;
}

export function expectCleanRequest(request: Seen, fields: [string, string][]): void {
  expect(request.fields).toEqual(fields);
  expect(request.headers.map(([name]) => name).sort()).toEqual(baselineHeaders);
  expect(new Map(request.headers).get('api-key')).toBe(API_KEY);
  for (const [, value] of request.headers) expect(value).not.toMatch(/[\r\n]|X-Injected/i);
}

beforeAll(async () => {
  await kaleyra().send({ to: '+14155550123', body: 'Your code is 123456' }, context());
  baselineHeaders = seen[0]!.headers.map(([name]) => name).sort();
  expect(baselineHeaders).toEqual(['accept', 'api-key', 'content-type']);
  seen.length = 0;
});

export const numberish: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }),
  fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31 - 1, 2 ** 31, 1e21, '100', ''),
  anyValue,
);
