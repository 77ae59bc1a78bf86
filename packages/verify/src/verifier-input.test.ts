import type { OtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { harness, rejection, TO } from './__fixtures__/harness.js';

const _TTL = 600_000;

describe('bad input', () => {
  it("start refuses a bad number with INVALID_INPUT, in the dispatcher's words, and every other bad field", async () => {
    const h = harness();
    const error = await rejection(
      h.verifier.start({
        to: '+1 415 555 0123',
        locale: 'en_US',
        key: '',
        signal: 'x' as never,
        reference: 7 as never,
      }),
    );
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    const paths = (error as unknown as OtpError).issues!.map((issue) => issue.path);
    expect(paths).toEqual(['to', 'reference', 'locale', 'key', 'signal']);
    let dispatcherMessage = '';
    await h.dispatcher.send({ to: '+1 415 555 0123', body: 'x' }).catch((caught: OtpError) => {
      dispatcherMessage = caught.issues![0]!.message;
    });
    expect((error as unknown as OtpError).issues![0]!.message).toBe(dispatcherMessage);
    expect(h.fake.messages).toHaveLength(0);
    await expect(h.verifier.start(null as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('check and cancel refuse a bad number or a code that is not a string with INVALID_INPUT', async () => {
    const h = harness();
    await expect(h.verifier.check({ to: 'nope', code: '123456' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(h.verifier.check({ to: TO, code: 123456 as never })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'code', message: 'expected the code as a string' }],
    });
    await expect(h.verifier.check(undefined as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.verifier.cancel(42 as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
