import type { DeliveryReport } from '@otpkit/core';

/** One callback request as the handler read it: what a vendor's adapter checks and parses. */
export interface WebhookRequest {
  /** Upper-case: `GET`, `POST`. */
  method: string;
  /** The URL the request arrived at (behind a proxy, its host may not be the public one). */
  url: URL;
  headers: Headers;
  /** The body as UTF-8 text, at most the handler's `maxBodyBytes`; `''` for a GET. */
  body: string;
}

/**
 * What the handler needs of one vendor: which methods it calls with, how to tell its callbacks from
 * forgeries, and how to read them. `twilioWebhook`, `vonageWebhook`, `kaleyraWebhook`, `msg91Webhook`,
 * `plivoWebhook`, `sinchWebhook`, `infobipWebhook` and `telnyxWebhook` (each from its own subpath) make
 * one; a new vendor writes its own in a few lines.
 */
export interface WebhookProvider {
  /** The provider id, as in the dispatcher (`"twilio"`); the route is `<basePath>/<id>`. */
  readonly id: string;
  /** The HTTP methods the vendor calls with, upper-case; others get 405. */
  readonly methods: readonly string[];
  /**
   * Whether the request is the vendor's: a valid signature or token, compared in constant time. Must
   * not throw (a throw counts as `false`).
   */
  authenticate(request: WebhookRequest): boolean;
  /**
   * The delivery report of an authentic request, or all of them when one call carries several
   * (Infobip's `results`, MSG91's `data`); throws `OtpError` `INVALID_INPUT` for anything else.
   */
  parse(request: WebhookRequest): DeliveryReport | readonly DeliveryReport[];
}
