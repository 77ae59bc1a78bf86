import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';
import { Dispatcher } from './dispatcher/index.js';
import type { DispatcherOptions } from './dispatcher-options.js';
import { type OtpKitConfig, type OtpKitOptions, resolveOtpKit } from './kit/index.js';
import { OTP_DISPATCHER_OPTIONS, OTP_PROVIDERS } from './tokens.js';
import type { OtpProvider } from './types.js';

export { OTP_DISPATCHER_OPTIONS, OTP_PROVIDERS } from './tokens.js';

export interface RegisterDispatcherOptions {
  /** Registered under `OTP_PROVIDERS` when given; otherwise the app registers that token itself. */
  providers?: readonly OtpProvider[];
  /** Registered under `OTP_DISPATCHER_OPTIONS` when given; defaults apply to what is left out. */
  options?: Omit<DispatcherOptions, 'providers'>;
}

/**
 * Registers `Dispatcher` in an app's tsyringe container, so `container.resolve(Dispatcher)` works and
 * classes can `@inject(Dispatcher)`. The dispatcher is built from `OTP_PROVIDERS` and (when registered)
 * `OTP_DISPATCHER_OPTIONS`, once per providers list: child containers that inherit the providers share
 * the parent's dispatcher, while a child that registers its own providers (a test swapping in the fake)
 * gets its own, and the parent's wiring is untouched. Apps using tsyringe import `reflect-metadata`
 * before `tsyringe`, as tsyringe requires.
 *
 * Import from `@otpkit/core/di`; the main entry never loads tsyringe or reflect-metadata.
 */
export function registerDispatcher(
  container: DependencyContainer,
  { providers, options }: RegisterDispatcherOptions = {},
): DependencyContainer {
  if (providers !== undefined) container.register(OTP_PROVIDERS, { useValue: providers });
  if (options !== undefined) container.register(OTP_DISPATCHER_OPTIONS, { useValue: options });
  // One dispatcher per (providers, options) pair: child containers that only inherit share their
  // parent's dispatcher (one queue, one concurrency limit); a child that registers its own providers
  // (a test swapping in the fake) gets its own.
  const cache = new WeakMap<object, WeakMap<object, Dispatcher>>();
  const noOptions = {};
  container.register(Dispatcher, {
    useFactory: (scope) => {
      const providerList = scope.resolve<readonly OtpProvider[]>(OTP_PROVIDERS);
      const settings = scope.isRegistered(OTP_DISPATCHER_OPTIONS, true)
        ? scope.resolve<Omit<DispatcherOptions, 'providers'>>(OTP_DISPATCHER_OPTIONS)
        : noOptions;
      let byOptions = cache.get(providerList);
      if (!byOptions) {
        byOptions = new WeakMap();
        cache.set(providerList, byOptions);
      }
      let dispatcher = byOptions.get(settings);
      if (!dispatcher) {
        dispatcher = new Dispatcher({ ...settings, providers: providerList });
        byOptions.set(settings, dispatcher);
      }
      return dispatcher;
    },
  });
  return container;
}

/**
 * Validates an otpkit config (as `createOtpKit` does), builds its providers and registers them, the
 * dispatcher settings and `Dispatcher` in the app's container. Tests override `OTP_PROVIDERS` in a
 * child container (`child.register(OTP_PROVIDERS, { useValue: [fake] })`) and resolve `Dispatcher`
 * from the child; production wiring is untouched.
 */
export function registerOtpKit(
  container: DependencyContainer,
  config: OtpKitConfig,
  options: OtpKitOptions,
): DependencyContainer {
  const { providers, settings } = resolveOtpKit(config, options);
  return registerDispatcher(container, { providers, options: settings });
}
