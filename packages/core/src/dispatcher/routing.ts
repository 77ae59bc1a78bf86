import { OtpError } from '../errors.js';
import type { OtpProvider } from '../types.js';

/** Resolved routes: a prefix and its providers in failover order, longest prefix first. */
export type ResolvedRoutes = readonly { prefix: string; providers: readonly OtpProvider[] }[];

/** The provider order for a recipient: the longest matching route, else every provider in order. */
export function orderFor(
  routes: ResolvedRoutes,
  providers: readonly OtpProvider[],
  to: string,
): readonly OtpProvider[] {
  for (const route of routes) {
    if (to.startsWith(route.prefix)) return route.providers;
  }
  return providers;
}

/**
 * `order` rotated to begin with the provider `startWith` (`SendOptions.startWith`): `[a, b, c]` with `b`
 * is `[b, c, a]`. A provider the dispatcher has but `order` lacks (not on this number's route) leaves
 * the order as it is; one the dispatcher does not have is `INVALID_INPUT`.
 */
export function orderStartingWith(
  order: readonly OtpProvider[],
  providers: readonly OtpProvider[],
  startWith: string,
): readonly OtpProvider[] {
  if (typeof startWith !== 'string' || !providers.some((p) => p.id === startWith)) {
    const message = `startWith: expected the id of one of this dispatcher's providers (${providers.map((p) => p.id).join(', ')})`;
    throw new OtpError('INVALID_INPUT', message, { issues: [{ path: 'startWith', message }] });
  }
  const index = order.findIndex((provider) => provider.id === startWith);
  return index <= 0 ? order : [...order.slice(index), ...order.slice(0, index)];
}
