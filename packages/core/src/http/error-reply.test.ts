import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createErrorReplyHandler, type HttpReply, parseSuccessReply, vendorCodeText } from '../http.js';

const reply = (status: number, json: unknown, isJson = true): HttpReply => ({
  status,
  headers: new Headers({ 'retry-after': '3' }),
  json,
  isJson,
});
const handle = createErrorReplyHandler({
  provider: 'acme',
  errorSchema: v.looseObject({ code: v.optional(v.unknown()), message: v.optional(v.unknown()) }),
  errorToCode: (error) => vendorCodeText(error.code),
  errorToMessage: (error) => (typeof error.message === 'string' ? error.message : undefined),
  table: { A1: { code: 'INVALID_CONFIG' } },
});

describe('createErrorReplyHandler', () => {
  it("reads the vendor's code and text, then classifies in httpError's order", () => {
    const rejected = handle(reply(400, { code: 21211, message: 'bad number for key Ak-1234' }), ['Ak-1234']);
    expect(rejected).toMatchObject({
      code: 'REJECTED',
      providerCode: '21211',
      provider: 'acme',
      status: 400,
    });
    expect(rejected.message).toContain('[redacted]');
    expect(rejected.message).not.toContain('Ak-1234');
    expect(handle(reply(400, { code: ' A1 ' }), []).code).toBe('INVALID_CONFIG');
    expect(handle(reply(429, { code: 'A1' }), [])).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 3000,
    });
    expect(handle(reply(400, '<html>', false), []).code).toBe('INVALID_RESPONSE');
    expect(handle(reply(400, ['not', 'an', 'object']), []).providerCode).toBeUndefined();
  });

  it('vendorCodeText keeps safe integers and non-blank text', () => {
    expect(vendorCodeText(21211)).toBe('21211');
    expect(vendorCodeText(1.5)).toBeUndefined();
    expect(vendorCodeText(' E413 ')).toBe('E413');
    expect(vendorCodeText('  ')).toBeUndefined();
    expect(vendorCodeText(null)).toBeUndefined();
  });
});

describe('parseSuccessReply', () => {
  const Schema = v.looseObject({ id: v.string() });
  it('returns the parsed body, or INVALID_RESPONSE saying what was wrong', () => {
    expect(parseSuccessReply('acme', reply(200, { id: 'm1' }), Schema, 'an id')).toEqual({ id: 'm1' });
    expect(() => parseSuccessReply('acme', reply(200, undefined, false), Schema, 'an id')).toThrowError(
      'acme: the reply to a send was not JSON (HTTP 200)',
    );
    expect(() => parseSuccessReply('acme', reply(201, { id: 1 }), Schema, 'an id')).toThrowError(
      'acme: the reply to a send did not have the expected shape (an id) (HTTP 201)',
    );
  });
});

describe('createErrorReplyHandler with its defaults', () => {
  it('reads `{ code, message }`: the code by vendorCodeText, the message when it is text', () => {
    const plain = createErrorReplyHandler({ provider: 'acme', table: { '21211': { code: 'REJECTED' } } });
    expect(plain(reply(400, { code: 21211, message: 'bad number' }), [])).toMatchObject({
      code: 'REJECTED',
      providerCode: '21211',
    });
    expect(plain(reply(400, { code: 21211, message: 'bad number' }), []).message).toContain('bad number');
    expect(plain(reply(400, { code: ' X ', message: 42 }), []).message).not.toContain('42');
  });
});
