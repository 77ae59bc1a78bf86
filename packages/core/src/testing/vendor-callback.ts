import { OtpError } from '../errors.js';

/** A vendor's callback, as an emulator sends it to the app. */
export interface VendorCallback {
  method: 'GET' | 'POST';
  /** The URL to call (a GET's fields already in its query). */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Gives up after this long, in ms. @default 10000 */
  timeoutMs?: number;
}

/**
 * Sends a vendor's callback to the app over a real socket, as the vendor would (for emulators'
 * `deliver()`), and resolves with the status the app answered. Rejects when the app does not answer.
 */
export async function sendVendorCallback(callback: VendorCallback): Promise<{ status: number }> {
  const response = await fetch(callback.url, {
    method: callback.method,
    headers: { 'user-agent': 'otpkit-emulator', ...callback.headers },
    ...(callback.body === undefined ? {} : { body: callback.body }),
    redirect: 'manual',
    signal: AbortSignal.timeout(callback.timeoutMs ?? 10_000),
  });
  await response.arrayBuffer().catch(() => undefined);
  return { status: response.status };
}

/** How `fieldCallback` carries the fields. */
export interface FieldCallbackOptions {
  /** `GET` puts the fields in the URL's query; `POST` in the body. @default "POST" */
  method?: 'GET' | 'POST';
  /** A POST's body: a URL-encoded form or a JSON object. @default "form" */
  encoding?: 'form' | 'json';
  /** More headers, e.g. the vendor's signature. @default none */
  headers?: Record<string, string>;
}

/**
 * A callback carrying flat fields the way most vendors send them: in the query of a `GET` (the URL's
 * own query, an app's token included, kept), or as a form or JSON body of a `POST`.
 */
export function fieldCallback(
  url: string,
  fields: Record<string, string>,
  { method = 'POST', encoding = 'form', headers }: FieldCallbackOptions = {},
): VendorCallback {
  if (method === 'GET') {
    const target = new URL(url);
    for (const [name, value] of Object.entries(fields)) target.searchParams.set(name, value);
    return { method, url: target.toString(), ...(headers === undefined ? {} : { headers }) };
  }
  const json = encoding === 'json';
  return {
    method,
    url,
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', ...headers },
    body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  };
}

/** What an emulator keeps of a message it accepted, for its callback: at least where to call back. */
export interface VendorSentBase {
  /** The callback URL the message was sent with; without one, `deliver()` refuses the message. */
  callbackUrl?: string | undefined;
}

/** An accepted message, as the emulator's `callback` is given it. */
export type VendorSentMessage<Sent extends VendorSentBase> = Sent & {
  /** The vendor's message id. */
  id: string;
  callbackUrl: string;
};

/** Builds the vendor's callback about one message: its format, and signed the way the vendor signs. */
export type VendorCallbackBuilder<Sent extends VendorSentBase, Options> = (
  message: VendorSentMessage<Sent>,
  status: string,
  options: Options,
) => VendorCallback | Promise<VendorCallback>;

/** What `deliver()` may say beside the status, for most vendors. */
export interface VendorDeliverOptions {
  /** The vendor's error code in the callback. @default the vendor's usual code for a failed delivery, none for `delivered` */
  errorCode?: string;
}

/** What an emulator with a `callback` adds: the vendor's callback played over a real socket. */
export interface VendorDeliveries<Options = VendorDeliverOptions> {
  /**
   * Sends the vendor's callback about an accepted message (by its id) with `status` to the message's
   * callback URL over a real socket, and resolves with the status the app answered. `INVALID_INPUT` for
   * an id the emulator did not issue, or a message sent without a callback URL.
   */
  deliver(messageId: string, status: string, options?: Options): Promise<{ status: number }>;
}

/** The accepted messages of one emulator, and `deliver()` over them. */
export interface CallbackLedger<Sent extends VendorSentBase, Options> extends VendorDeliveries<Options> {
  remember(messageId: string, sent: Sent): void;
  clear(): void;
}

/** Keeps accepted messages by id and plays `callback` for them; `provider` names the vendor in errors. */
export function createCallbackLedger<Sent extends VendorSentBase, Options>(
  callback: VendorCallbackBuilder<Sent, Options> | undefined,
  provider: string | undefined,
): CallbackLedger<Sent, Options> {
  const sent = new Map<string, Sent>();
  return {
    // Nothing to call back, nothing kept: an emulator without `callback` holds no messages.
    remember: (messageId, message) => void (callback && sent.set(messageId, message)),
    clear: () => sent.clear(),
    async deliver(messageId, status, options) {
      const message = sent.get(messageId);
      if (callback === undefined || message?.callbackUrl === undefined) {
        throw new OtpError(
          'INVALID_INPUT',
          'messageId: expected the id of a message this emulator accepted with a callback URL',
          provider === undefined ? {} : { provider },
        );
      }
      const made = await callback(
        { ...message, id: messageId, callbackUrl: message.callbackUrl },
        status,
        options ?? ({} as Options),
      );
      return sendVendorCallback(made);
    },
  };
}
