import { OtpError, type OtpMessage, type OtpProvider, type SendContext } from '@otpkit/core';

/**
 * A provider that sends every message with this callback URL (Kaleyra's `callback`, Twilio's
 * `StatusCallback`, Vonage's `callback`), so each vendor calls its own route even when a send fails
 * over from one vendor to another: a message's own `callbackUrl` would go to whichever vendor sends it.
 * The id, `parseDeliveryReport` and everything else stay the provider's.
 *
 * Throws `OtpError` `INVALID_CONFIG` when `provider` is not a provider or `url` not an http(s) URL.
 */
export function withCallbackUrl<P extends OtpProvider>(provider: P, url: string): P {
  if (typeof provider !== 'object' || provider === null || typeof provider.send !== 'function') {
    throw new OtpError('INVALID_CONFIG', 'provider: expected an OtpProvider');
  }
  if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new OtpError('INVALID_CONFIG', 'url: expected an http or https URL (e.g. hook.callbackUrl)');
  }
  const send = (message: OtpMessage, context: SendContext) =>
    provider.send({ ...message, callbackUrl: url }, context);
  // A proxy keeps the provider's own members (a fake's `messages`, an emulator-facing getter) working.
  return new Proxy(provider, {
    get(target, key, receiver) {
      if (key === 'send') return send;
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
