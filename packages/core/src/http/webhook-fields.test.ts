import { describe, expect, it } from 'vitest';
import { isOtpError } from '../errors.js';
import { webhookFields } from '../http.js';

const read = (payload: unknown, json = false) =>
  Object.fromEntries(webhookFields(payload, 'acme', 'a report', { json }));

describe('webhookFields', () => {
  it('reads objects, URLSearchParams and form strings as trimmed text, first non-blank value kept', () => {
    expect(read({ a: ' x ', b: 5, c: ['y', 'z'], d: '', e: null, f: Number.NaN, g: { h: 1 } })).toEqual({
      a: 'x',
      b: '5',
      c: 'y',
    });
    expect(read(new URLSearchParams('a=&a=1&a=2&b= 3 '))).toEqual({ a: '1', b: '3' });
    expect(read('a=1&b=2')).toEqual({ a: '1', b: '2' });
    expect(read('{"a":"1"}', true)).toEqual({ a: '1' });
    // Without `json`, a string is a form: its one blank field is left out.
    expect(read('{"a":"1"}')).toEqual({});
  });

  it('verbatim: values as sent, blank ones and booleans too; a Map read like a form', () => {
    const verbatim = (payload: unknown) =>
      Object.fromEntries(webhookFields(payload, 'acme', 'a report', { verbatim: true, json: true }));
    expect(verbatim({ a: ' x ', b: '', c: true, d: [7], e: null })).toEqual({
      a: ' x ',
      b: '',
      c: 'true',
      d: '7',
    });
    expect(
      verbatim(
        new Map<unknown, unknown>([
          ['a', ''],
          [1, 'x'],
        ]),
      ),
    ).toEqual({ a: '' });
    expect(verbatim('{"a":" 1 "}')).toEqual({ a: ' 1 ' });
  });

  it('refuses what is not a payload with INVALID_INPUT', () => {
    for (const payload of [null, 42, [], undefined]) {
      expect(() => webhookFields(payload, 'acme', 'a report')).toThrowError('acme: expected a report');
    }
    let thrown: unknown;
    try {
      webhookFields('{"a":', 'acme', 'a report', { json: true });
    } catch (error) {
      thrown = error;
    }
    expect(isOtpError(thrown, 'INVALID_INPUT')).toBe(true);
  });
});
