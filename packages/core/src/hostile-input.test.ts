/**
 * Hostile input, property-based: arbitrary strings and values, unicode, very long values, prototype-
 * pollution keys, numbers with spaces, commas, letters, leading zeros or a lone '+'. Every message either
 * passes or is refused with `INVALID_INPUT` before the provider is called; every set of dispatcher
 * options either builds a dispatcher or is refused with `INVALID_CONFIG`; nothing throws anything else,
 * nothing hangs, and `Object.prototype` stays clean.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher, type DispatchResult } from './dispatcher/index.js';
import { isOtpError, OTP_ERROR_CODES, type OtpErrorCode } from './errors.js';
import type { OtpMessage, OtpProvider, SendReceipt } from './types.js';
import { MAX_BODY_LENGTH, validateMessage } from './validation.js';

// ---------------------------------------------------------------------------------------------------
// Shared hostile arbitraries.

/** Strings that have broken parsers, URL encoders, header writers and object lookups before. */
const NASTY = [
  '',
  ' ',
  '+',
  '++',
  '\r\n',
  'a\r\nX-Injected: yes',
  '\u0000',
  '\u2028\u2029',
  '\uFEFF+14155550123',
  '\uD800',
  '\uDC00x',
  '%0d%0aX-Injected:%20yes',
  '&to=+19999999999&type=TXN',
  'a=b&c=d',
  '=',
  '&',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'null',
  'undefined',
  'NaN',
  '0',
  '-1',
  '1e309',
  '$' + '{code}',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  'http://',
  'https://example.com/cb?x=1&y=2',
  'http://example.com/\r\nX-Injected: yes',
  'ftp://example.com/',
  '\u202Eevil',
  '🙂🙂🙂',
  'ﷺ',
  '١٢٣٤٥٦٧٨',
  '１２３４５６７８',
] as const;

/** Very long values, built by repetition (cheap to generate). */
const longString = fc
  .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.integer({ min: 200, max: 6000 }))
  .map(([chunk, times]) => chunk.repeat(times));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(...NASTY),
  longString,
);

/** Any JavaScript value fast-check knows, null-prototype objects, boxed values and bigints included. */
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

/** Numbers that are E.164: '+', a non-zero digit, 6 to 14 more digits. */
const e164: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...'123456789'), digits(6, 14))
  .map(([first, rest]) => `+${first}${rest}`);

/** Characters that must never make it into a number: separators, letters, other scripts' digits. */
const NOT_A_DIGIT = [
  ' ',
  ',',
  ';',
  '-',
  '.',
  '(',
  ')',
  '/',
  'a',
  'Z',
  'e',
  '\n',
  '\t',
  '+',
  '٣',
  '１',
  '\u00A0',
];

/** Almost-numbers: all refused. */
const brokenNumber: fc.Arbitrary<string> = fc.oneof(
  // A separator or letter inserted anywhere in a good number.
  fc.tuple(e164, fc.nat(), fc.constantFrom(...NOT_A_DIGIT)).map(([number, at, char]) => {
    const index = at % (number.length + 1);
    return number.slice(0, index) + char + number.slice(index);
  }),
  // Leading zeros after the '+', no '+', '+' alone, too short, too long, two numbers.
  digits(6, 14).map((rest) => `+0${rest}`),
  e164.map((number) => number.slice(1)),
  fc.constant('+'),
  fc.tuple(fc.constantFrom(...'123456789'), digits(0, 5)).map(([first, rest]) => `+${first}${rest}`),
  fc.tuple(fc.constantFrom(...'123456789'), digits(15, 30)).map(([first, rest]) => `+${first}${rest}`),
  fc.tuple(e164, e164, fc.constantFrom(',', ', ', ';', ' ')).map(([a, b, sep]) => `${a}${sep}${b}`),
  // Trailing or leading whitespace and line breaks.
  fc.tuple(e164, fc.constantFrom(' ', '\n', '\r\n', '\t', '\u2028')).map(([number, ws]) => `${number}${ws}`),
  fc.tuple(e164, fc.constantFrom(' ', '\n', '\t')).map(([number, ws]) => `${ws}${number}`),
);

/** Strings made only of phone-ish characters, anything goes. */
const phoneish = fc
  .array(fc.constantFrom('+', '0', '1', '4', '9', ...NOT_A_DIGIT), { maxLength: 22 })
  .map((chars) => chars.join(''));

/** An oracle written apart from the schema: '+', a digit 1-9, then 6 to 14 ASCII digits. */
function isE164(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 8 || value.length > 16 || value[0] !== '+') return false;
  for (let index = 1; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return value[1] !== '0';
}

const recipient: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: e164 },
  { weight: 3, arbitrary: brokenNumber },
  { weight: 2, arbitrary: phoneish },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: anyValue },
);

/** Text with a lone surrogate, as left by cutting an emoji in half: no encoding can carry it as it is. */
const brokenUnicode = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\uD83D', '\uDE00', '\uDBFF', '\uDC00'),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, lone, b]) => `${a}${lone}${b}`)
  .filter((text) => /[\uD800-\uDFFF]/u.test(text));

const bodyArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: brokenUnicode },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }) },
  { weight: 2, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(MAX_BODY_LENGTH - 1, MAX_BODY_LENGTH, MAX_BODY_LENGTH + 1)
      .map((n) => 'x'.repeat(n)),
  },
  { weight: 1, arbitrary: anyValue },
);

const optionalText: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: brokenUnicode },
  { weight: 1, arbitrary: anyValue },
);

/** Messages crafted as JSON text, so '__proto__', 'constructor' and 'prototype' are own keys. */
const CRAFTED_JSON = [
  '{"to":"+14155550123","body":"Your code is 123456","__proto__":{"polluted":"yes"}}',
  '{"__proto__":{"to":"+14155550123","body":"Your code is 123456"}}',
  '{"to":"+14155550123","body":"x","constructor":{"prototype":{"polluted":"yes"}}}',
  '{"to":"+14155550123","body":"x","prototype":{"polluted":"yes"},"sender":"__proto__"}',
  '{"to":{"__proto__":{"polluted":"yes"}},"body":"x"}',
  '{"to":"+14155550123","body":{"toString":"boom"}}',
  '{"to":["+14155550123"],"body":"x"}',
  '{"to":"+14155550123","body":"x","reference":{"__proto__":[]}}',
  '{"to":"+14155550123","body":"x","callbackUrl":"http://example.com","__proto__":null}',
  '[{"to":"+14155550123","body":"x"}]',
  '"+14155550123"',
  'null',
];

const craftedJson = fc.constantFrom(...CRAFTED_JSON).map((text) => JSON.parse(text) as unknown);

const messageArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        to: recipient,
        body: bodyArb,
        sender: optionalText,
        templateId: optionalText,
        callbackUrl: fc.oneof(
          optionalText,
          fc.webUrl(),
          fc.webUrl().map((url) => `${url}\r\nX-Injected: yes`),
        ),
        reference: optionalText,
        extra: anyValue,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: craftedJson },
  // A good message whose fields live on the prototype, or behind __proto__ as an own key.
  {
    weight: 1,
    arbitrary: fc
      .tuple(e164, fc.string({ minLength: 1 }))
      .map(([to, body]) => Object.create({ to, body }) as unknown),
  },
  { weight: 1, arbitrary: anyValue },
);

/** What the message fields must look like when validation let them through (the rules, restated). */
function expectAcceptable(input: Record<string, unknown>, output: OtpMessage): void {
  expect(isE164(output.to), `accepted to ${JSON.stringify(output.to)}`).toBe(true);
  expect(typeof output.body).toBe('string');
  expect(output.body.length).toBeGreaterThanOrEqual(1);
  expect(output.body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
  for (const [field, max] of [
    ['sender', 15],
    ['templateId', 64],
    ['reference', 256],
  ] as const) {
    const value = output[field];
    if (value === undefined) continue;
    expect(typeof value).toBe('string');
    expect(value.length).toBeGreaterThanOrEqual(1);
    expect(value.length).toBeLessThanOrEqual(max);
    const control = [...value].some((char) => {
      const code = char.codePointAt(0)!;
      return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
    });
    expect(control, `${field} has a control character`).toBe(false);
  }
  if (output.callbackUrl !== undefined) {
    expect(URL.canParse(output.callbackUrl)).toBe(true);
    expect(['http:', 'https:']).toContain(new URL(output.callbackUrl).protocol);
  }
  // Every text can be encoded as it is (no lone surrogate): what the vendor gets is what the app gave.
  for (const value of Object.values(output)) {
    if (typeof value === 'string') expect(/[\uD800-\uDFFF]/u.test(value), 'a lone surrogate').toBe(false);
  }
  // Only the known fields survive, with the input's values.
  expect(Object.keys(output).every((key) => key in input)).toBe(true);
  for (const key of Object.keys(output)) expect(output[key as keyof OtpMessage]).toBe(input[key]);
}

/** Fails instead of hanging: every awaited promise gets a time limit. */
async function within<T>(promise: Promise<T>, ms = 2000, what = 'operation'): Promise<T> {
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

/** Captures the outcome of a function that must either return or throw `OtpError` with `code`. */
function outcomeOf<T>(
  run: () => T,
  code: OtpErrorCode,
): { ok: true; value: T } | { ok: false; error: Error } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (!isOtpError(error, code)) {
      throw new Error(`expected OtpError ${code} or success, got ${String(error)}`, { cause: error });
    }
    return { ok: false, error };
  }
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Object.prototype has exactly its own built-in keys, and a fresh object inherits nothing odd. */
function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'to', 'body', 'sender', 'timeoutMs', 'providers', 'retries', 'isAdmin']) {
    expect(probe[key], `Object.prototype.${key}`).toBeUndefined();
  }
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
}

// ---------------------------------------------------------------------------------------------------

/** A provider that accepts everything and remembers what it got. */
function recordingProvider(id = 'stub') {
  const received: OtpMessage[] = [];
  const provider: OtpProvider = {
    id,
    send(message): Promise<SendReceipt> {
      received.push(message);
      return Promise.resolve({
        provider: id,
        messageId: `${id}-${received.length}`,
        to: message.to,
        acceptedAt: new Date(),
      });
    },
  };
  return { provider, received };
}

const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeAll(() => {
  process.on('warning', onWarning);
});
afterAll(() => {
  process.off('warning', onWarning);
  expectNoPollution();
  expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
});

describe('hostile messages', () => {
  it('validateMessage: passes a message that keeps the rules, refuses anything else with INVALID_INPUT', () => {
    const tally = { passed: 0, refused: 0 };
    fc.assert(
      fc.property(messageArb, (input) => {
        const result = outcomeOf(() => validateMessage(input), 'INVALID_INPUT');
        tally[result.ok ? 'passed' : 'refused']++;
        if (result.ok) expectAcceptable(input as Record<string, unknown>, result.value);
        expectNoPollution();
      }),
      { numRuns: 1500 },
    );
    // Both sides of the rule were exercised.
    console.info(`hostile messages: ${tally.passed} passed, ${tally.refused} refused`);
    expect(tally.passed).toBeGreaterThan(50);
    expect(tally.refused).toBeGreaterThan(50);
  });

  it('refuses every almost-number (spaces, commas, letters, leading zeros, "+" alone, two numbers)', () => {
    fc.assert(
      fc.property(brokenNumber, (to) => {
        expect(isE164(to)).toBe(false);
        const result = outcomeOf(() => validateMessage({ to, body: 'Your code is 123456' }), 'INVALID_INPUT');
        expect(result.ok, `accepted ${JSON.stringify(to)}`).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('a refusal never echoes the body or its code, whatever else is wrong', () => {
    fc.assert(
      fc.property(
        fc.oneof(brokenNumber, hostileString, anyValue),
        fc.integer({ min: 100_000, max: 999_999 }),
        optionalText,
        optionalText,
        (to, code, sender, callbackUrl) => {
          const body = `Your verification code is ${code}`;
          const result = outcomeOf(
            () => validateMessage({ to, body: `${body}\uD800`, sender, callbackUrl }),
            'INVALID_INPUT',
          );
          expect(result.ok).toBe(false);
          if (!result.ok) {
            const text = `${result.error.message} ${JSON.stringify(result.error)}`;
            expect(text).not.toContain(String(code));
            expect(text).not.toContain('verification');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts every E.164 number', () => {
    fc.assert(
      fc.property(e164, (to) => {
        expect(validateMessage({ to, body: 'Your code is 123456' }).to).toBe(to);
      }),
      { numRuns: 300 },
    );
  });

  it('dispatcher.send and enqueue: a refused message never reaches the provider; an accepted one ends with one terminal event', async () => {
    const { provider, received } = recordingProvider();
    const dispatcher = createDispatcher({ providers: [provider], concurrency: 8 });
    const terminal = new Map<string, string>();
    dispatcher.on('sent', (event) => terminal.set(event.id, 'sent'));
    dispatcher.on('failed', (event) => terminal.set(event.id, `failed:${event.error.code}`));
    await fc.assert(
      fc.asyncProperty(messageArb, fc.boolean(), async (input, viaEnqueue) => {
        const calls = received.length;
        const expected = outcomeOf(() => validateMessage(input), 'INVALID_INPUT');
        if (viaEnqueue) {
          const result = outcomeOf(() => dispatcher.enqueue(input as OtpMessage), 'INVALID_INPUT');
          expect(result.ok).toBe(expected.ok);
          if (result.ok) {
            await within(
              waitFor(() => terminal.has(result.value)),
              2000,
              'enqueue',
            );
            expect(terminal.get(result.value)).toBe('sent');
            expect(received.length).toBe(calls + 1);
          }
        } else {
          const settled = await within(
            dispatcher.send(input as OtpMessage).then(
              (value: DispatchResult) => ({ ok: true as const, value }),
              (error: unknown) => ({ ok: false as const, error }),
            ),
            2000,
            'send',
          );
          if (settled.ok) {
            expect(expected.ok).toBe(true);
            expect(settled.value.provider).toBe('stub');
            expect(received.length).toBe(calls + 1);
            expectAcceptable(input as Record<string, unknown>, received.at(-1)!);
          } else {
            expect(isOtpError(settled.error, 'INVALID_INPUT'), String(settled.error)).toBe(true);
            expect(expected.ok).toBe(false);
          }
        }
        if (!expected.ok) expect(received.length, 'a refused message reached the provider').toBe(calls);
        expectNoPollution();
      }),
      { numRuns: 600 },
    );
    await within(dispatcher.close(), 2000, 'close');
  });
});

function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (condition() ? resolve() : setTimeout(check, 1));
    check();
  });
}

// ---------------------------------------------------------------------------------------------------

const numberish: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -10, max: 100_000 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      0,
      -0,
      1,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** 31 - 1,
      2 ** 31,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      Number.MIN_VALUE,
      1e308,
    ),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom('10', ' 5 ', '1e3', '0x10', '', '1,000') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: anyValue },
);

const stubProviders = () => {
  const a = recordingProvider('a').provider;
  const b = recordingProvider('b').provider;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant([a]) },
    { weight: 2, arbitrary: fc.constant([a, b]) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<unknown>(
        [],
        [a, a],
        [a, { ...b, id: 'a' }],
        [{ id: '', send: a.send }],
        [{ id: 'x' }],
        [{ id: 7, send: a.send }],
        [null],
        'a',
        a,
        { 0: a, length: 1 },
      ),
    },
    { weight: 1, arbitrary: anyValue },
  );
};

const codeList = fc.oneof(
  fc.subarray([...OTP_ERROR_CODES]),
  fc.array(fc.oneof(hostileString, fc.constantFrom(...OTP_ERROR_CODES)), { maxLength: 4 }),
  anyValue,
);

const dispatcherOptionsArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        providers: stubProviders(),
        retry: fc.oneof(
          fc.record(
            { retries: numberish, minDelayMs: numberish, maxDelayMs: numberish, maxRetryAfterMs: numberish },
            { requiredKeys: [] },
          ),
          anyValue,
        ),
        timeoutMs: numberish,
        deadlineMs: numberish,
        breaker: fc.oneof(
          fc.constantFrom<unknown>(false, true, undefined, null, {}),
          fc.record({ failureThreshold: numberish, cooldownMs: numberish }, { requiredKeys: [] }),
          anyValue,
        ),
        failFastOn: codeList,
        concurrency: numberish,
        maxQueue: numberish,
        onListenerError: fc.oneof(
          fc.constant(() => {}),
          anyValue,
        ),
      },
      { requiredKeys: ['providers'] },
    ),
  },
  // Options that came from JSON (a config file), with a good provider list added by the app.
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '{"__proto__":{"timeoutMs":-1,"polluted":"yes"}}',
        '{"constructor":{"prototype":{"polluted":"yes"}},"retry":{"__proto__":{"retries":1000}}}',
        '{"retry":{"retries":"3","__proto__":{"polluted":"yes"}},"breaker":{"prototype":{}}}',
        '{"breaker":{"failureThreshold":5,"cooldownMs":0,"__proto__":{"polluted":"yes"}}}',
        '{"failFastOn":["__proto__","constructor"],"concurrency":1,"maxQueue":0}',
        '{"timeoutMs":1,"deadlineMs":1,"retry":{"retries":0}}',
      )
      .map((text) => ({ ...(JSON.parse(text) as object), providers: [recordingProvider('json').provider] })),
  },
  { weight: 1, arbitrary: anyValue },
);

describe('hostile dispatcher options', () => {
  it('createDispatcher builds a working dispatcher or refuses with INVALID_CONFIG; nothing else', async () => {
    const tally = { built: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(dispatcherOptionsArb, async (options) => {
        const result = outcomeOf(() => createDispatcher(options as never), 'INVALID_CONFIG');
        tally[result.ok ? 'built' : 'refused']++;
        if (result.ok) {
          const dispatcher: Dispatcher = result.value;
          const input = options as Record<string, unknown>;
          for (const key of ['timeoutMs', 'deadlineMs', 'concurrency', 'maxQueue'] as const) {
            const value = input[key];
            if (value !== undefined) {
              expect(Number.isInteger(value), `${key}=${String(value)} accepted`).toBe(true);
              expect(value as number).toBeGreaterThanOrEqual(key === 'maxQueue' ? 0 : 1);
            }
          }
          // It works: one send ends, one way or the other, and close() drains.
          const outcome = await within(
            dispatcher.send({ to: '+14155550123', body: 'Your code is 123456' }).then(
              (value) => value.provider,
              (error: unknown) => {
                expect(isOtpError(error), String(error)).toBe(true);
                return 'refused';
              },
            ),
            3000,
            'send',
          );
          expect(typeof outcome).toBe('string');
          await within(dispatcher.close(), 3000, 'close');
        }
        expectNoPollution();
      }),
      { numRuns: 800 },
    );
    expect(tally.built).toBeGreaterThan(20);
    expect(tally.refused).toBeGreaterThan(20);
    console.info(`hostile dispatcher options: ${tally.built} built, ${tally.refused} refused`);
  });
});
