import { createDispatcher } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { describe, expect, it } from 'vitest';
import { SECRET, T0, TO } from './__fixtures__/harness.js';
import { createVerifier } from './verifier.js';

const COOLDOWN = 30_000;

function twoVendors(routes?: { prefix: string; providers: string[] }[], third = false) {
  const first = createFakeProvider({ id: 'first' });
  const second = createFakeProvider({ id: 'second' });
  const spare = createFakeProvider({ id: 'third' });
  const dispatcher = createDispatcher({
    providers: third ? [first, second, spare] : [first, second],
    retry: { retries: 0 },
    breaker: false,
    ...(routes ? { routes } : {}),
  });
  let clock = T0;
  const verifier = createVerifier({ dispatcher, secret: SECRET, now: () => clock });
  const via = async (to = TO) => {
    const started = await verifier.start({ to });
    clock += COOLDOWN;
    return started.dispatch!.provider;
  };
  return { first, second, spare, verifier, via, advance: (ms: number) => (clock += ms) };
}

describe('a resend goes through the next vendor', () => {
  it('starts with the provider after the one that carried the previous send, wrapping round', async () => {
    const { via } = twoVendors();
    expect([await via(), await via(), await via(), await via()]).toEqual([
      'first',
      'second',
      'first',
      'second',
    ]);
  });

  it('with three providers: first, second, third, then first again', async () => {
    const { via } = twoVendors(undefined, true);
    expect([await via(), await via(), await via(), await via()]).toEqual([
      'first',
      'second',
      'third',
      'first',
    ]);
  });

  it('then fails over as usual: when the next vendor fails, the send goes back round to the one before', async () => {
    const { via, second, first } = twoVendors();
    expect(await via()).toBe('first');
    second.failNext('PROVIDER_UNAVAILABLE');
    expect(await via()).toBe('first');
    expect(second.calls).toBe(1);
    expect(first.messages).toHaveLength(2);
  });

  it('each code works: the one the first vendor carried and the one the second did', async () => {
    const { verifier, via, first, second } = twoVendors();
    await via();
    await via();
    const early = first.lastCode(TO)!;
    expect(second.lastCode(TO)).toBeDefined();
    expect((await verifier.check({ to: TO, code: early })).status).toBe('approved');
  });

  it('a new verification (after approval) starts with the usual first provider', async () => {
    const { verifier, via, second } = twoVendors();
    await via();
    expect(await via()).toBe('second');
    await verifier.check({ to: TO, code: second.lastCode(TO)! });
    expect(await via()).toBe('first');
  });

  it('follows the route of the number: a number with one provider always uses it', async () => {
    const { via } = twoVendors([{ prefix: '+91', providers: ['second'] }]);
    expect([await via('+919876543210'), await via('+919876543210')]).toEqual(['second', 'second']);
    expect([await via(), await via()]).toEqual(['first', 'second']);
  });

  it('a resend after a failed send still rotates from the last vendor that carried one', async () => {
    const { via, second, advance } = twoVendors();
    expect(await via()).toBe('first');
    // REJECTED is not a reason to fail over: the resend fails on the second vendor.
    second.failNext('REJECTED');
    await expect(via()).rejects.toMatchObject({ code: 'REJECTED', provider: 'second' });
    advance(COOLDOWN);
    expect(await via()).toBe('second');
  });
});
