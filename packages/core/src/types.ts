/** One OTP SMS to one phone. */
export interface OtpMessage {
  /** One recipient in E.164 form: `+`, then 7 to 15 digits, e.g. `"+919876543210"`. */
  to: string;
  /** The text, containing the code. Never logged, never put in an event or an error. */
  body: string;
  /** Sender id (alphanumeric header or number); the provider's default when absent. */
  sender?: string;
  /** Template id, e.g. India's DLT template id; the provider's default when absent. */
  templateId?: string;
  /** URL the vendor calls with delivery reports (http or https); the provider's default when absent. */
  callbackUrl?: string;
  /** The app's own correlation id, echoed in every event of this send. */
  reference?: string;
}

/** What a provider gets with each attempt. */
export interface SendContext {
  /** Aborts when the attempt runs past its time limit or the caller gives up. Pass it to the HTTP call. */
  signal: AbortSignal;
  /** 1 for the first attempt of a send, 2 for its first retry, and so on. */
  attempt: number;
  /**
   * When the caller aborts this attempt through `signal` (epoch ms), if it enforces a time limit, as the
   * dispatcher does. A provider may then skip a timer of its own. Absent when the caller set no limit.
   */
  deadline?: number;
}

/** The vendor accepted the message. */
export interface SendReceipt {
  /** Id of the provider that accepted it, e.g. `"kaleyra"`. */
  provider: string;
  /** The vendor's id for the message; delivery reports refer to it. */
  messageId: string;
  /** The recipient, as sent. */
  to: string;
  /** When the vendor accepted it (the vendor's clock where it says, else ours). */
  acceptedAt: Date;
  /** The vendor's parsed reply. It may echo the body: never put it in logs. */
  raw?: unknown;
}

/** Status of a message reported later through the vendor's callback. */
export type DeliveryStatus = 'delivered' | 'undelivered' | 'pending' | 'unknown';

/** A vendor's delivery report, normalised. */
export interface DeliveryReport {
  provider: string;
  messageId: string;
  to?: string;
  status: DeliveryStatus;
  /** The vendor's own status text, kept verbatim. */
  providerStatus: string;
  at: Date;
  /** The vendor's reason code for a failed delivery, when it gave one. */
  errorCode?: string;
}

/** One SMS vendor behind the common contract. */
export interface OtpProvider {
  /** Name used in configuration and events: `"kaleyra"`, `"fake"`, ... */
  readonly id: string;
  /**
   * Hands one message to the vendor. Resolves once the vendor accepted it; rejects with an
   * `OtpError` classified as the error table says. Must honour `context.signal`.
   */
  send(message: OtpMessage, context: SendContext): Promise<SendReceipt>;
  /** Turns the vendor's delivery callback payload into a `DeliveryReport`. */
  parseDeliveryReport?(payload: unknown): DeliveryReport;
}
