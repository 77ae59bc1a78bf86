import 'reflect-metadata';
import { type DependencyContainer, instancePerContainerCachingFactory } from 'tsyringe';
import { Dispatcher } from './dispatcher.js';
import type { DispatcherOptions } from './dispatcher-options.js';
import { type OtpKitConfig, type OtpKitOptions, resolveOtpKit } from './kit.js';
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
 * `OTP_DISPATCHER_OPTIONS`, once per container: a child container that registers its own providers
 * (a test swapping in the fake) gets its own dispatcher, and the parent's wiring is untouched.
 *
 * Import from `@otpkit/core/di`; the main entry never loads tsyringe or reflect-metadata.
 */
export function registerDispatcher(
  container: DependencyContainer,
  { providers, options }: RegisterDispatcherOptions = {},
): DependencyContainer {
  if (providers !== undefined) container.register(OTP_PROVIDERS, { useValue: providers });
  if (options !== undefined) container.register(OTP_DISPATCHER_OPTIONS, { useValue: options });
  container.register(Dispatcher, {
    useFactory: instancePerContainerCachingFactory((scope) => {
      const base = scope.isRegistered(OTP_DISPATCHER_OPTIONS, true)
        ? scope.resolve<Omit<DispatcherOptions, 'providers'>>(OTP_DISPATCHER_OPTIONS)
        : {};
      return new Dispatcher({ ...base, providers: scope.resolve<readonly OtpProvider[]>(OTP_PROVIDERS) });
    }),
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
