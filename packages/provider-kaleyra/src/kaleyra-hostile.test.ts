/**
 * Hostile input against the Kaleyra provider, property-based: messages, provider options (Kaleyra's and
 * the fake's), vendor replies and delivery-report payloads made of arbitrary strings, unicode, very long
 * values, prototype-pollution keys and almost-numbers. Each input passes or is refused with `OtpError`
 * before any request (msw counts them and errors on any unexpected one); an accepted message reaches
 * Kaleyra with exactly the expected form fields, values unchanged, and no extra header; nothing throws
 * anything else, nothing hangs, and `Object.prototype` stays clean.
 */
import {
  createDispatcher,
  isOtpError,
  type OtpErrorCode,
  type OtpMessage,
  validateMessage,
} from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseKaleyraDeliveryReport } from './kaleyra-delivery-report.js';
import type { KaleyraProviderOptions } from './kaleyra-options.js';
import { createKaleyraProvider, type KaleyraProvider } from './kaleyra-provider.js';

const SID = 'HXHOSTILE01IN';
const API_KEY = 'Ak-hostile-7c2e9b41d0';

// ---------------------------------------------------------------------------------------------------
// The vendor, through msw: counts and records every request; anything unexpected is an error.

interface Seen {
  headers: [string, string][];
  fields: [string, string][];
}
const seen: Seen[] = [];
/** What the next requests get back; the default is the seed's success shape. */
let reply: () => Response = () => success();

function success(extra: Record<string, unknown> = {}): Response {
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

const server = setupServer(
  http.post(`https://api.kaleyra.io/v1/:sid/messages`, async ({ request }) => {
    seen.push({ headers: [...request.headers], fields: [...new URLSearchParams(await request.text())] });
    return reply();
  }),
);

const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

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

function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'to', 'body', 'sid', 'apiKey', 'message_id', 'status', 'isAdmin']) {
    expect(probe[key], `Object.prototype.${key}`).toBeUndefined();
  }
}

/** Fails instead of hanging. */
async function within<T>(promise: Promise<T>, ms = 3000, what = 'operation'): Promise<T> {
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
function outcomeOf<T>(
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
async function settle<T>(
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

const NASTY = [
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

const longString = fc
  .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.integer({ min: 100, max: 5000 }))
  .map(([chunk, times]) => chunk.repeat(times));

const hostileString: fc.Arbitrary<string> = fc.oneof(
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

const anyValue: fc.Arbitrary<unknown> = fc.anything({
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

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const e164 = fc
  .tuple(fc.constantFrom('1', '4', '9', '91', '44'), digits(6, 12))
  .map(([cc, rest]) => `+${cc}${rest}`)
  .filter((number) => number.length <= 16);
const NOT_A_DIGIT = [' ', ',', ';', '-', '.', '(', ')', 'a', 'e', '\n', '\r\n', '+', '&', '=', '١', '１'];
const brokenNumber = fc.oneof(
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
const brokenUnicode = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\uD83D', '\uDE00', '\uDBFF', '\uDC00'),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, lone, b]) => `${a}${lone}${b}`)
  .filter((text) => /[\uD800-\uDFFF]/u.test(text));

const optional = (arb: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: arb });

const messageArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        to: fc.oneof(
          { weight: 5, arbitrary: e164 },
          { weight: 2, arbitrary: brokenNumber },
          hostileString,
          anyValue,
        ),
        body: fc.oneof(
          { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 160 }) },
          { weight: 3, arbitrary: hostileString },
          brokenUnicode,
          anyValue,
        ),
        sender: optional(fc.oneof({ weight: 4, arbitrary: hostileString }, brokenUnicode, anyValue)),
        templateId: optional(fc.oneof({ weight: 4, arbitrary: hostileString }, brokenUnicode, anyValue)),
        callbackUrl: optional(
          fc.oneof(
            hostileString,
            fc.webUrl({ withQueryParameters: true, withFragments: true }),
            fc.webUrl().map((url) => `${url}?a=1&body=x&to=%2B1`),
            fc.webUrl().map((url) => `${url}\r\nX-Injected: yes`),
            brokenUnicode.map((text) => `https://example.com/${text}`),
          ),
        ),
        reference: optional(fc.oneof(hostileString, brokenUnicode)),
      },
      { requiredKeys: ['to', 'body'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"to":"+14155550123","body":"Your code is 123456","__proto__":{"sender":"EVIL","polluted":"yes"}}',
        '{"__proto__":{"to":"+14155550123","body":"x"}}',
        '{"to":"+14155550123","body":"x","constructor":{"prototype":{"polluted":"yes"}}}',
        '{"to":"+14155550123","body":"x","template_id":"INJ","callback":"http://evil.example"}',
        '{"to":"+14155550123","body":"x","type":"TXN","api-key":"other"}',
      )
      .map((text) => JSON.parse(text) as unknown),
  },
  { weight: 1, arbitrary: anyValue },
);

// ---------------------------------------------------------------------------------------------------

/** Header names a plain, good send carries; every other send must carry exactly these. */
let baselineHeaders: string[] = [];

const PROVIDER_CONFIGS: readonly Partial<KaleyraProviderOptions>[] = [
  {},
  { sender: 'KLRHXA', templateId: 'TPL_1207-16', callbackUrl: 'https://example.com/dlr?token=abc&x=1' },
  { requireTemplateIdForIndia: false },
];

function kaleyra(config: Partial<KaleyraProviderOptions> = {}): KaleyraProvider {
  return createKaleyraProvider({ sid: SID, apiKey: API_KEY, ...config });
}

const context = (signal: AbortSignal = new AbortController().signal) => ({ signal, attempt: 1 });

/** The form Kaleyra must get for an accepted message, in the order the provider writes it. */
function expectedFields(message: OtpMessage, config: Partial<KaleyraProviderOptions>): [string, string][] {
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

function expectCleanRequest(request: Seen, fields: [string, string][]): void {
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

describe('hostile messages through the Kaleyra provider', () => {
  it('refused before any request with INVALID_INPUT, or sent with exactly the expected form and headers', async () => {
    const tally = { sent: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        messageArb,
        fc.constantFrom(...PROVIDER_CONFIGS),
        fc.boolean(),
        async (input, config, viaDispatcher) => {
          const before = seen.length;
          const provider = kaleyra(config);
          const pending = viaDispatcher
            ? createDispatcher({ providers: [provider], retry: { retries: 0 } }).send(input as OtpMessage)
            : provider.send(input as OtpMessage, context());
          const result = await settle(pending, 'send', 'INVALID_INPUT');
          if (!result.ok) {
            tally.refused++;
            expect(seen.length, 'a refused message made a request').toBe(before);
          } else {
            tally.sent++;
            expect(seen.length).toBe(before + 1);
            const message = validateMessage(input);
            expect(result.value.to).toBe(message.to);
            expectCleanRequest(seen.at(-1)!, expectedFields(message, config));
            // What was sent is what the app gave, field by field.
            const record = input as Record<string, unknown>;
            expect(message.to).toBe(record.to);
            expect(message.body).toBe(record.body);
          }
          expectNoPollution();
        },
      ),
      { numRuns: 600 },
    );
    expect(tally.sent).toBeGreaterThan(20);
    expect(tally.refused).toBeGreaterThan(100);
    console.info(`kaleyra hostile messages: ${tally.sent} sent, ${tally.refused} refused`);
  });

  it('refuses +91 numbers without a DLT template id before any request', async () => {
    await fc.assert(
      fc.asyncProperty(digits(8, 10), async (rest) => {
        const before = seen.length;
        const result = await settle(
          kaleyra().send({ to: `+91${rest}`, body: 'Your code is 123456' }, context()),
          'send',
          'INVALID_INPUT',
        );
        expect(result.ok).toBe(false);
        expect(seen.length).toBe(before);
      }),
      { numRuns: 50 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------

const numberish: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }),
  fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31 - 1, 2 ** 31, 1e21, '100', ''),
  anyValue,
);

const kaleyraOptionsArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        sid: fc.oneof({ weight: 3, arbitrary: fc.constant(SID) }, hostileString, anyValue),
        apiKey: fc.oneof(
          { weight: 3, arbitrary: fc.constant(API_KEY) },
          hostileString,
          fc.constant(`${API_KEY}\r\nX-Injected: yes`),
          anyValue,
        ),
        sender: optional(fc.oneof({ weight: 3, arbitrary: hostileString }, fc.constant('KLRHXA'), anyValue)),
        region: optional(fc.oneof(fc.constantFrom('in', 'ap', 'eu', 'us', 'IN', '__proto__'), anyValue)),
        baseUrl: optional(fc.oneof(hostileString, fc.webUrl(), anyValue)),
        templateId: optional(fc.oneof({ weight: 3, arbitrary: hostileString }, anyValue)),
        callbackUrl: optional(
          fc.oneof(
            hostileString,
            fc.webUrl(),
            fc.webUrl().map((url) => `${url}&to=%2B1\r\nX: y`),
            anyValue,
          ),
        ),
        timeoutMs: optional(numberish),
        requireTemplateIdForIndia: optional(fc.oneof(fc.boolean(), anyValue)),
        fetch: optional(anyValue),
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        `{"sid":"${SID}","apiKey":"${API_KEY}","__proto__":{"baseUrl":"http://evil.example","polluted":"yes"}}`,
        `{"__proto__":{"sid":"${SID}","apiKey":"${API_KEY}"}}`,
        `{"sid":"${SID}","apiKey":"${API_KEY}","constructor":{"prototype":{"polluted":"yes"}}}`,
        `{"sid":"${SID}","apiKey":"${API_KEY}","sender":"__proto__"}`,
        `{"sid":"${SID}","apiKey":"${API_KEY}","prototype":{"sender":"EVIL"}}`,
      )
      .map((text) => JSON.parse(text) as unknown),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, 0, SID, true, [], () => {}) },
  { weight: 1, arbitrary: anyValue },
);

describe('hostile Kaleyra options', () => {
  it('createKaleyraProvider builds a provider or refuses with INVALID_CONFIG, with no request; options cannot inject fields or headers', async () => {
    const tally = { built: 0, refused: 0, sent: 0 };
    await fc.assert(
      fc.asyncProperty(kaleyraOptionsArb, async (options) => {
        const before = seen.length;
        const result = outcomeOf(
          () => createKaleyraProvider(options as KaleyraProviderOptions),
          'INVALID_CONFIG',
        );
        expect(seen.length).toBe(before);
        if (!result.ok) {
          tally.refused++;
          expect(result.error.message).not.toContain(API_KEY);
        } else {
          tally.built++;
          expect(result.value.id).toBe('kaleyra');
          const config = options as KaleyraProviderOptions;
          // Sends to the default host (the one msw answers) show what the options put on the wire.
          if (config.baseUrl === undefined && config.region === undefined && config.fetch === undefined) {
            const message = { to: '+14155550123', body: 'Your code is 123456', templateId: undefined };
            const sent = await settle(result.value.send(message, context()), 'send');
            expect(sent.ok).toBe(true);
            tally.sent++;
            const request = seen.at(-1)!;
            expect(seen.length).toBe(before + 1);
            expect(request.fields).toEqual(
              expectedFields(
                { to: message.to, body: message.body },
                {
                  ...(config.sender === undefined ? {} : { sender: config.sender }),
                  ...(config.templateId === undefined ? {} : { templateId: config.templateId }),
                  ...(config.callbackUrl === undefined ? {} : { callbackUrl: config.callbackUrl }),
                },
              ),
            );
            expect(request.headers.map(([name]) => name).sort()).toEqual(baselineHeaders);
            expect(new Map(request.headers).get('api-key')).toBe(config.apiKey);
          }
        }
        expectNoPollution();
      }),
      { numRuns: 500 },
    );
    expect(tally.built).toBeGreaterThan(5);
    expect(tally.refused).toBeGreaterThan(100);
    expect(tally.sent).toBeGreaterThan(3);
    console.info(
      `kaleyra hostile options: ${tally.built} built (${tally.sent} sent), ${tally.refused} refused`,
    );
  });
});

// ---------------------------------------------------------------------------------------------------

const fakeOptionsArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        id: optional(fc.oneof({ weight: 2, arbitrary: fc.constant('fake') }, hostileString, anyValue)),
        latencyMs: optional(fc.oneof(fc.integer({ min: 0, max: 20 }), numberish, fc.constant(2 ** 31))),
        codePattern: optional(fc.oneof(fc.constantFrom(/\d{6}/, /\b\d+\b/g, /x/y), hostileString, anyValue)),
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"__proto__":{"latencyMs":-1,"polluted":"yes"}}',
        '{"id":"__proto__"}',
        '{"constructor":{}}',
      )
      .map((text) => JSON.parse(text) as unknown),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, 0, 'fake', true, [], () => {}) },
  { weight: 1, arbitrary: anyValue },
);

describe('hostile fake-provider options', () => {
  it('createFakeProvider builds a working fake or refuses with INVALID_CONFIG; nothing else', async () => {
    const tally = { built: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fakeOptionsArb, async (options) => {
        const warned = warnings.length;
        const result = outcomeOf(() => createFakeProvider(options as never), 'INVALID_CONFIG');
        if (!result.ok) {
          tally.refused++;
        } else {
          tally.built++;
          const fake = result.value;
          const to = '+14155550123';
          // A long latency is honoured: the caller's abort ends the wait.
          const signal = AbortSignal.timeout(50);
          const sent = await settle(
            fake.send({ to, body: 'Your code is 123456' }, { signal, attempt: 1 }),
            'send',
          );
          if (sent.ok)
            expect(fake.lastCode(to) === undefined || typeof fake.lastCode(to) === 'string').toBe(true);
          else expect(isOtpError(sent.error, 'ABORTED') || isOtpError(sent.error, 'TIMEOUT')).toBe(true);
        }
        expect(warnings.slice(warned).map((w) => `${w.name}: ${w.message}`)).toEqual([]);
        expectNoPollution();
      }),
      { numRuns: 300 },
    );
    expect(tally.built).toBeGreaterThan(20);
    expect(tally.refused).toBeGreaterThan(20);
    console.info(`fake hostile options: ${tally.built} built, ${tally.refused} refused`);
  });
});

// ---------------------------------------------------------------------------------------------------

const REPORT_KEYS = [
  'message_id',
  'id',
  'msgid',
  'status',
  'dlr_status',
  'recipient',
  'mobile',
  'to',
  'number',
  'delivered_at',
  'datetime',
  'timestamp',
  'time',
  'dlr_time',
  'error_code',
  'reason',
  'err',
  'description',
  '__proto__',
  'constructor',
  'prototype',
];
const reportValue = fc.oneof(
  hostileString,
  fc.constantFrom('DELIVRD', 'delivered', 'UNDELIV', 'failed', 'sent', 'EXPIRED', ' delivered '),
  fc.constantFrom(
    '1572864143',
    '1572864143000',
    '2019-11-04 10:42:23',
    '2019-11-04T10:42:23Z',
    '99999999999999',
  ),
  fc.integer(),
  fc.double(),
  fc.array(hostileString, { maxLength: 3 }),
  anyValue,
);

const payloadArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...REPORT_KEYS), reportValue) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...REPORT_KEYS), hostileString), hostileString), {
        maxLength: 6,
      })
      .map((pairs) => new URLSearchParams(pairs)),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...REPORT_KEYS), hostileString), { maxLength: 5 })
      .map((pairs) => new URLSearchParams(pairs).toString()),
  },
  { weight: 1, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"message_id":"m-1","status":"DELIVRD","__proto__":{"polluted":"yes","errorCode":"E"}}',
        '{"__proto__":{"message_id":"m-1","status":"DELIVRD"}}',
        '{"id":"m-1","status":"__proto__"}',
        '{"id":"m-1","status":"constructor"}',
        '{"id":"m-1","status":"hasOwnProperty"}',
        '{"msgid":"m-1","constructor":{"prototype":{"polluted":"yes"}}}',
        '{"message_id":["m-1","m-2"],"status":["delivered"]}',
        '{"message_id":{"toString":"m-1"}}',
        '[["message_id","m-1"]]',
      )
      .map((text) => JSON.parse(text) as unknown),
  },
  { weight: 2, arbitrary: anyValue },
);

describe('hostile delivery reports', () => {
  it('parseKaleyraDeliveryReport returns a DeliveryReport or throws INVALID_INPUT', () => {
    const tally = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(payloadArb, (payload) => {
        const result = outcomeOf(() => parseKaleyraDeliveryReport(payload), 'INVALID_INPUT');
        if (result.ok) {
          tally.parsed++;
          const report = result.value;
          expect(report.provider).toBe('kaleyra');
          expect(typeof report.messageId).toBe('string');
          expect(report.messageId.length).toBeGreaterThan(0);
          expect(report.messageId).toBe(report.messageId.trim());
          expect(['delivered', 'undelivered', 'pending', 'unknown']).toContain(report.status);
          expect(typeof report.providerStatus).toBe('string');
          expect(report.at).toBeInstanceOf(Date);
          expect(Number.isNaN(report.at.getTime())).toBe(false);
          if (report.to !== undefined) expect(typeof report.to).toBe('string');
          if (report.errorCode !== undefined) expect(typeof report.errorCode).toBe('string');
          expect(Object.getPrototypeOf(report)).toBe(Object.prototype);
          expect(
            Object.keys(report).every((key) =>
              ['provider', 'messageId', 'to', 'status', 'providerStatus', 'at', 'errorCode'].includes(key),
            ),
          ).toBe(true);
        } else {
          tally.refused++;
        }
        expectNoPollution();
      }),
      { numRuns: 2000 },
    );
    console.info(`hostile delivery reports: ${tally.parsed} parsed, ${tally.refused} refused`);
    expect(tally.parsed).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------------

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    // A BigInt or a cycle: no vendor sends that, but a broken body it may.
    return '{"id":';
  }
}

/** Header values a server can send: visible ASCII and spaces. */
const headerText = fc.string({ unit: fc.constantFrom(...' 0123456789.,:-+eENaTGMWedOct'), maxLength: 30 });

const replyArb = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 201, 202, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503),
    fc.integer({ min: 200, max: 599 }),
  ),
  body: fc.oneof(
    { weight: 3, arbitrary: anyValue.map(safeJson) },
    { weight: 2, arbitrary: hostileString },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{"id":"x","data":[{"message_id":"m:1"}],"__proto__":{"polluted":"yes"}}',
        '{"id":"x","data":[{"message_id":"m:1","__proto__":{"polluted":"yes"}}],"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"code":"__proto__","message":"x"}',
        '{"code":"constructor","message":"x"}',
        '{"code":"toString","message":"x"}',
        '{"code":"E413","message":"Your code is 123456 and key Ak-hostile-7c2e9b41d0"}',
        '{"id":"x","data":[]}',
        '{"id":"x","data":[{"message_id":""}]}',
        '{"id":"x","data":[{"message_id":"m:1"}],"createdDateTime":"not a date"}',
        '{"id":"x","data":[{"message_id":"m:1"}],"createdDateTime":"+275760-09-13 00:00:01+00:00"}',
        '{"id":"x","data":{"0":{"message_id":"m:1"},"length":1}}',
        'null',
        '[]',
        '"ok"',
        '',
        '<html>502</html>',
      ),
    },
  ),
  retryAfter: optional(
    fc.oneof(
      fc.constantFrom(
        '0',
        '1.5',
        '-1',
        'NaN',
        '1e9',
        '99999999999999999999',
        'Wed, 21 Oct 2015 07:28:00 GMT',
        '',
      ),
      headerText,
    ),
  ),
});

describe('hostile vendor replies', () => {
  it('any status and body ends the send with a receipt or an OtpError that leaks neither key nor body', async () => {
    const body = 'Your code is 123456';
    await fc.assert(
      fc.asyncProperty(replyArb, async ({ status, body: text, retryAfter }) => {
        reply = () => {
          const headers = new Headers({ 'content-type': 'application/json' });
          if (typeof retryAfter === 'string') headers.set('retry-after', retryAfter);
          return new HttpResponse(text, { status, headers });
        };
        const result = await settle(kaleyra().send({ to: '+14155550123', body }, context()), 'send');
        if (result.ok) {
          expect(status).toBeGreaterThanOrEqual(200);
          expect(status).toBeLessThan(300);
          expect(typeof result.value.messageId).toBe('string');
          expect(result.value.messageId.length).toBeGreaterThan(0);
          expect(Number.isNaN(result.value.acceptedAt.getTime())).toBe(false);
        } else {
          const error = result.error as Error & { retryAfterMs?: number };
          expect(error.message).not.toContain(API_KEY);
          expect(error.message).not.toContain(body);
          expect(JSON.stringify(error)).not.toContain(API_KEY);
          if (error.retryAfterMs !== undefined) {
            expect(Number.isFinite(error.retryAfterMs)).toBe(true);
            expect(error.retryAfterMs).toBeGreaterThanOrEqual(0);
          }
        }
        expectNoPollution();
      }),
      { numRuns: 400 },
    );
  });
});
