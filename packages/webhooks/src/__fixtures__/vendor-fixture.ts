import type { OtpProvider } from '@otpkit/core';
import type { WebhookProvider } from '../webhook-provider.js';

/** How a forged or real callback is made: as the vendor would, or broken in one way. */
export type ForgeMode = 'good' | 'tampered' | 'wrong-secret' | 'missing';

/** The `fetch` arguments of one callback. */
export interface Forged {
  url: string;
  init: RequestInit;
}

/** What the tests use of a vendor's emulator. */
export interface RigEmulator {
  deliver(messageId: string, status: string): Promise<{ status: number }>;
  accepted(to?: string): number;
  readonly requests: readonly unknown[];
}

/** One vendor's emulator on a real port, its provider sending there, and its webhook adapter. */
export interface VendorRig {
  emulator: RigEmulator;
  served: { url: string; close(): Promise<void> };
  hook: WebhookProvider;
  provider: OtpProvider;
  /**
   * A callback to `url` carrying `fields` (in `receipt`'s shape, or any others), in the vendor's format
   * and made as `mode` says: signed or tokened like the vendor, or broken in one way.
   */
  forge(url: string, fields: Record<string, string>, mode: ForgeMode): Forged;
}

/** What the shared route tests need to know of one vendor. */
export interface VendorFixture {
  /** The emulator's `deliver()` statuses for a delivered and an undelivered SMS. */
  statuses: { delivered: string; undelivered: string };
  /** The secrets its rig uses: never in an answer. */
  secrets: readonly string[];
  /** A receipt's fields for `messageId` and `status`, as `forge` takes them. */
  receipt(messageId: string, status: string): Record<string, string>;
  /** Starts the rig; `publicUrl` is the vendor's route on the handler's server. */
  rig(publicUrl: string): Promise<VendorRig>;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** A POST of `body` with the `otpkit_token` of `mode`: the right token, a wrong one, another, or none. */
export function tokenCallback(
  url: string,
  token: string,
  mode: ForgeMode,
  body: string,
  json: boolean,
): Forged {
  const target = new URL(url);
  if (mode !== 'missing') {
    const given = mode === 'good' ? token : mode === 'tampered' ? `${token}x` : 'w'.repeat(32);
    target.searchParams.set('otpkit_token', given);
  }
  return { url: target.toString(), init: { method: 'POST', headers: json ? JSON_TYPE : FORM, body } };
}

/** A form POST with extra headers. */
export const formPost = (url: string, fields: Record<string, string>, headers: Record<string, string>) => ({
  url,
  init: { method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams(fields).toString() },
});

/** A JSON POST of a raw body with extra headers. */
export const jsonPost = (url: string, body: string, headers: Record<string, string>) => ({
  url,
  init: { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body },
});
