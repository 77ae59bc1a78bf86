import { Dispatcher } from '@otpkit/core';
import type { DependencyContainer } from 'tsyringe';
import { Verifier } from './verifier.js';
import type { VerifierOptions } from './verifier-options.js';

/** tsyringe token of the verifier options without `dispatcher` (`Omit<VerifierOptions, 'dispatcher'>`). */
export const OTP_VERIFIER_OPTIONS = '@otpkit/verify:options' as const;

/**
 * Registers `Verifier` in an app's tsyringe container, so `container.resolve(Verifier)` works and classes
 * can `@inject(Verifier)`. The verifier is built on the container's `Dispatcher` (register it first, with
 * `registerOtpKit` or `registerDispatcher` from `@otpkit/core/di`) and the options registered under
 * `OTP_VERIFIER_OPTIONS` (given here, or registered by the app), once per dispatcher and options: child
 * containers that only inherit share the parent's verifier and its store; a child with its own providers
 * (a test swapping in the fake) gets its own. The options are validated when first resolved.
 *
 * Import from `@otpkit/verify/di`; the main entry never touches tsyringe.
 */
export function registerVerifier(
  container: DependencyContainer,
  options?: Omit<VerifierOptions, 'dispatcher'>,
): DependencyContainer {
  if (options !== undefined) container.register(OTP_VERIFIER_OPTIONS, { useValue: options });
  const cache = new WeakMap<Dispatcher, WeakMap<object, Verifier>>();
  container.register(Verifier, {
    useFactory: (scope) => {
      const dispatcher = scope.resolve(Dispatcher);
      const settings = scope.resolve<Omit<VerifierOptions, 'dispatcher'>>(OTP_VERIFIER_OPTIONS);
      let byOptions = cache.get(dispatcher);
      if (!byOptions) {
        byOptions = new WeakMap();
        cache.set(dispatcher, byOptions);
      }
      let verifier = byOptions.get(settings);
      if (!verifier) {
        verifier = new Verifier({ ...settings, dispatcher });
        byOptions.set(settings, verifier);
      }
      return verifier;
    },
  });
  return container;
}
