import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { credentialOption, integerOption, optionRule, patternOption, prefixedIdOption } from '../http.js';

const messages = (schema: v.GenericSchema, input: unknown) =>
  v.safeParse(schema, input).issues?.map((issue) => issue.message) ?? [];

describe('option schemas: messages name the option and never echo its value', () => {
  it('credentialOption takes printable ASCII without spaces', () => {
    const schema = credentialOption('apiKey', 'your API key');
    expect(v.is(schema, 'k3y-!~')).toBe(true);
    for (const bad of ['', 'has space', 'tab\there', 'ключ', 42, undefined]) {
      expect(messages(schema, bad)).toEqual([
        'apiKey: expected a non-empty string without spaces (your API key)',
      ]);
    }
    expect(messages(schema, 'sk live 9931').join()).not.toContain('9931');
  });

  it('prefixedIdOption wants the prefix and 32 hex characters', () => {
    const schema = prefixedIdOption('accountSid', 'AC', 'your Account SID');
    expect(v.is(schema, `AC${'a1'.repeat(16)}`)).toBe(true);
    expect(messages(schema, `SK${'a1'.repeat(16)}`)).toEqual([
      'accountSid: expected "AC" followed by 32 hexadecimal characters (your Account SID)',
    ]);
    expect(v.is(schema, `AC${'a1'.repeat(15)}`)).toBe(false);
  });

  it('patternOption and integerOption', () => {
    expect(messages(patternOption('from', /^\d+$/, 'digits'), 'x')).toEqual(['from: expected digits']);
    const ttl = integerOption('ttlMs', 20, 100, '20 ms to 100 ms');
    expect(v.is(ttl, 20) && v.is(ttl, 100)).toBe(true);
    for (const bad of [19, 101, 20.5, Number.NaN, '30']) {
      expect(messages(ttl, bad)).toContain('ttlMs: expected an integer from 20 to 100 (20 ms to 100 ms)');
    }
    expect(messages(integerOption('n', 1, 2), 0)).toEqual(['n: expected an integer from 1 to 2']);
  });
});

describe('optionRule', () => {
  const Schema = v.pipe(
    v.object({
      from: v.optional(v.string()),
      service: v.optional(v.string()),
      retries: v.optional(v.number()),
    }),
    optionRule(
      ['from', 'service'],
      (o) => (o.from === undefined) !== (o.service === undefined),
      'from: give exactly one of from or service',
    ),
    optionRule(['service'], (o) => o.service !== 'x', 'service: not x', 'service'),
  );

  it('reports at its key, and the output keeps its type', () => {
    const result = v.safeParse(Schema, {});
    expect(
      result.issues?.map((issue) => [issue.path?.map((item) => item.key).join('.'), issue.message]),
    ).toEqual([['from', 'from: give exactly one of from or service']]);
    const ok = v.parse(Schema, { from: 'a' });
    const from: string | undefined = ok.from;
    expect(from).toBe('a');
    expect(messages(Schema, { service: 'x' })).toEqual(['service: not x']);
  });

  it('runs while another option is wrong, so every problem is reported at once', () => {
    expect(messages(Schema, { from: 'a', service: 'b', retries: 'many' })).toEqual([
      expect.stringContaining('Invalid type'),
      'from: give exactly one of from or service',
    ]);
  });
});
