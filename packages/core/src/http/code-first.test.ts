import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createCodeFirstErrorReplyHandler, type HttpReply } from '../http.js';

const reply = (status: number, json: unknown, isJson = true, retryAfter?: string): HttpReply => ({
  status,
  headers: new Headers(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
  json,
  isJson,
});
const table = {
  OPTED_OUT: { code: 'REJECTED' },
  QUEUE_FULL: { code: 'RATE_LIMITED' },
  PROFILE_OFF: { code: 'INVALID_CONFIG' },
  BAD_KEY: { code: 'AUTHENTICATION' },
} as const;
const handle = createCodeFirstErrorReplyHandler({ provider: 'acme', table });

describe('createCodeFirstErrorReplyHandler', () => {
  it("classifies a 401 or 403 by the vendor's code when the table has a row for it", () => {
    for (const status of [401, 403]) {
      const error = handle(reply(status, { code: 'OPTED_OUT', message: 'Blocked due to STOP' }), []);
      expect(error).toMatchObject({ code: 'REJECTED', retryable: false, providerCode: 'OPTED_OUT', status });
      expect(error.message).toBe(
        `acme: the vendor refused the message: Blocked due to STOP (OPTED_OUT, HTTP ${status})`,
      );
    }
    expect(handle(reply(403, { code: 'PROFILE_OFF' }), []).code).toBe('INVALID_CONFIG');
    const slow = handle(reply(403, { code: 'QUEUE_FULL' }, true, '4'), []);
    expect(slow).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 4000 });
    expect(slow.message).toContain('the vendor asked to slow down');
  });

  it('leaves every other reply to the shared order', () => {
    expect(handle(reply(403, { code: 'UNKNOWN' }), []).code).toBe('AUTHENTICATION');
    expect(handle(reply(401, { code: 'BAD_KEY' }), []).code).toBe('AUTHENTICATION');
    expect(handle(reply(403, '<html>', false), []).code).toBe('AUTHENTICATION');
    expect(handle(reply(403, { code: 'constructor' }), []).code).toBe('AUTHENTICATION');
    expect(handle(reply(429, { code: 'OPTED_OUT' }), []).code).toBe('RATE_LIMITED');
    expect(handle(reply(503, { code: 'OPTED_OUT' }), []).code).toBe('PROVIDER_UNAVAILABLE');
    expect(handle(reply(409, { code: 'OPTED_OUT' }), []).code).toBe('REJECTED');
    expect(handle(reply(400, { code: 'PROFILE_OFF' }), []).code).toBe('INVALID_CONFIG');
    const noTable = createCodeFirstErrorReplyHandler({ provider: 'acme' });
    expect(noTable(reply(403, { code: 'OPTED_OUT' }), []).code).toBe('AUTHENTICATION');
  });

  it("reads the code with the vendor's schema and keeps secrets out", () => {
    const nested = createCodeFirstErrorReplyHandler({
      provider: 'acme',
      errorSchema: v.object({ errors: v.array(v.object({ code: v.string(), detail: v.string() })) }),
      errorToCode: (error) => error.errors[0]?.code,
      errorToMessage: (error) => error.errors[0]?.detail,
      table,
    });
    const error = nested(
      reply(403, { errors: [{ code: 'OPTED_OUT', detail: 'no texts to Ak-secret-1 with 482913' }] }),
      ['Ak-secret-1', 'Your code is 482913'],
    );
    expect(error.code).toBe('REJECTED');
    expect(error.message).not.toContain('Ak-secret-1');
    expect(error.message).not.toContain('482913');
    const echoed = handle(reply(403, { code: 'Ak-secret-1' }), ['Ak-secret-1']);
    expect(echoed.code).toBe('AUTHENTICATION');
    expect(JSON.stringify(echoed)).not.toContain('Ak-secret-1');
  });
});
