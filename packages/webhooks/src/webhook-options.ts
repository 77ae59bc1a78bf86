import { type DeliveryReport, OtpError, type OtpIssue } from '@otpkit/core';
import type { WebhookProvider } from './webhook-provider.js';

/** What the handler reports to when no verifier is given: a `Dispatcher`. */
export interface ReportTarget {
  report(report: DeliveryReport): void;
}

/** What the handler reports to when a verifier is given: a `Verifier` from `@otpkit/verify`. */
export interface ReceiptTarget {
  report(report: DeliveryReport): Promise<unknown>;
}

/** Options of `createWebhookHandler`. */
export interface WebhookHandlerOptions {
  /** The dispatcher whose `delivered` / `undelivered` events the receipts become. Required. */
  dispatcher: ReportTarget;
  /**
   * The verifier (`@otpkit/verify`) whose verifications the receipts belong to. With it, each receipt
   * goes through `verifier.report()`: the send's delivery status is kept in its store (so a receipt that
   * lands on another process than the send still finds its dispatch id and reference), an `undelivered`
   * one can trigger a resend through the next vendor, and the verifier reports it to its dispatcher
   * (which must be `dispatcher`). @default none: receipts go to `dispatcher.report()`
   */
  verifier?: ReceiptTarget;
  /** One entry per vendor: `twilioWebhook(...)`, `plivoWebhook(...)`, `infobipWebhook(...)`, …. Required. */
  providers: readonly WebhookProvider[];
  /** Where the routes are: `<basePath>/<provider id>`, e.g. `/otpkit/twilio`. @default "/otpkit" */
  basePath?: string;
  /**
   * Send every request to this provider, whatever its path: for a route that is one vendor's only
   * (a Next.js `app/otpkit/twilio/route.ts`). @default none: routed by path
   */
  provider?: string;
  /** Largest body read, in bytes; larger ones get 413 without being held in memory. @default 65536 */
  maxBodyBytes?: number;
  /**
   * Called when a good receipt could not be recorded (the verifier's store did not answer): the vendor
   * got 503 and will call again. Never given the body or a secret. @default a process warning
   */
  onError?: (error: unknown, provider: string) => void;
}

/** The options with their defaults, checked. */
export interface ResolvedWebhookOptions {
  dispatcher: ReportTarget;
  verifier: ReceiptTarget | undefined;
  providers: ReadonlyMap<string, WebhookProvider>;
  basePath: string;
  provider: string | undefined;
  maxBodyBytes: number;
  onError: (error: unknown, provider: string) => void;
}

export const WEBHOOK_DEFAULTS = Object.freeze({ basePath: '/otpkit', maxBodyBytes: 65_536 });

const hasMethod = (value: unknown, name: string) =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Record<string, unknown>)[name] === 'function';

/** Checks `createWebhookHandler`'s options: `INVALID_CONFIG` naming every wrong field. */
export function resolveWebhookOptions(options: WebhookHandlerOptions): ResolvedWebhookOptions {
  if (typeof options !== 'object' || options === null) {
    throw new OtpError('INVALID_CONFIG', 'options: expected { dispatcher, providers }');
  }
  const issues: OtpIssue[] = [];
  if (!hasMethod(options.dispatcher, 'report')) {
    issues.push({ path: 'dispatcher', message: 'expected a Dispatcher (with report())' });
  }
  if (options.verifier !== undefined && !hasMethod(options.verifier, 'report')) {
    issues.push({ path: 'verifier', message: 'expected a Verifier (with report())' });
  }
  const providers = new Map<string, WebhookProvider>();
  if (!Array.isArray(options.providers) || options.providers.length === 0) {
    issues.push({ path: 'providers', message: 'expected a non-empty array, e.g. [twilioWebhook({ ... })]' });
  } else {
    options.providers.forEach((provider: WebhookProvider, index: number) => {
      const ok =
        typeof provider?.id === 'string' &&
        /^[a-z][a-z0-9-]*$/.test(provider.id) &&
        Array.isArray(provider.methods) &&
        hasMethod(provider, 'authenticate') &&
        hasMethod(provider, 'parse');
      if (!ok) issues.push({ path: `providers.${index}`, message: 'expected a webhook provider' });
      else if (providers.has(provider.id)) {
        issues.push({ path: `providers.${index}`, message: `provider "${provider.id}" is given twice` });
      } else providers.set(provider.id, provider);
    });
  }
  const basePath = options.basePath ?? WEBHOOK_DEFAULTS.basePath;
  if (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9._~-]+)*\/?$/.test(basePath)) {
    issues.push({ path: 'basePath', message: 'expected a path like "/otpkit" (or "/")' });
  }
  if (options.provider !== undefined && !providers.has(options.provider)) {
    issues.push({ path: 'provider', message: 'expected the id of one of providers' });
  }
  const maxBodyBytes = options.maxBodyBytes ?? WEBHOOK_DEFAULTS.maxBodyBytes;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > 16_777_216) {
    issues.push({ path: 'maxBodyBytes', message: 'expected an integer from 1 to 16777216' });
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    issues.push({ path: 'onError', message: 'expected a function' });
  }
  if (issues.length > 0) {
    const text = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new OtpError('INVALID_CONFIG', `Invalid webhook handler options: ${text}`, { issues });
  }
  return {
    dispatcher: options.dispatcher,
    verifier: options.verifier,
    providers,
    basePath: basePath.replace(/\/+$/, ''),
    provider: options.provider,
    maxBodyBytes,
    onError: options.onError ?? warn,
  };
}

function warn(error: unknown, provider: string): void {
  const code = (error as { code?: unknown })?.code;
  process.emitWarning(
    `otpkit: a ${provider} delivery receipt could not be recorded (${typeof code === 'string' ? code : 'error'}); answered 503 so the vendor calls again`,
    'OtpkitWebhookWarning',
  );
}
