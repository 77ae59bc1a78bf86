import { type DeliveryReport, isOtpError } from '@otpkit/core';
import { answers } from './answers.js';
import { readBody } from './read-body.js';
import {
  type ResolvedWebhookOptions,
  resolveWebhookOptions,
  type WebhookHandlerOptions,
} from './webhook-options.js';
import type { WebhookProvider, WebhookRequest } from './webhook-provider.js';

/** A Fetch-standard handler: a `Request` in, a `Response` out. */
export interface WebhookHandler {
  (request: Request): Promise<Response>;
  /** The body limit it was made with, for adapters that read the body themselves (`toNodeHandler`). */
  readonly maxBodyBytes: number;
}

/**
 * Makes the handler for vendors' delivery callbacks: a Fetch-standard `(request) => Promise<Response>`
 * that runs as it is in Hono, Next.js route handlers, Bun, Deno and Cloudflare Workers (and on
 * `node:http`, Express and Fastify through `toNodeHandler` from `@otpkit/webhooks/node`).
 *
 * Each vendor has its route, `<basePath>/<id>` (`/otpkit/twilio`), or every request goes to `provider`.
 * Answers: `204` for a good receipt (every one, when a call carries several), once it is reported (parsing and reporting only: nothing slow);
 * `401` when the signature or token is missing or wrong (nothing reported); `400` for a payload the
 * vendor's parser refuses; `413` past `maxBodyBytes` (never held in memory); `405` for another method;
 * `404` for another path; `503` when the verifier's store did not answer (the vendor calls again).
 * Never a `500`, and never the body, a token or a secret in an answer.
 *
 * Throws `OtpError` `INVALID_CONFIG` for wrong options, naming each.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const config = resolveWebhookOptions(options);
  const handle = async (request: Request): Promise<Response> => {
    try {
      return await answer(config, request);
    } catch {
      // Nothing a caller sends should get here; if it does, it is still not a 500.
      return answers.unreadable();
    }
  };
  return Object.defineProperty(handle, 'maxBodyBytes', {
    value: config.maxBodyBytes,
    enumerable: true,
  }) as WebhookHandler;
}

async function answer(config: ResolvedWebhookOptions, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const provider = route(config, url.pathname);
  if (provider === undefined) return answers.notFound();
  const method = request.method.toUpperCase();
  if (!provider.methods.includes(method)) return answers.methodNotAllowed(provider.methods);
  const body =
    method === 'GET' ? { ok: true as const, text: '' } : await readBody(request, config.maxBodyBytes);
  if (!body.ok) return answers.tooLarge();
  const received: WebhookRequest = { method, url, headers: request.headers, body: body.text };

  let authentic = false;
  try {
    authentic = provider.authenticate(received) === true;
  } catch {
    authentic = false;
  }
  if (!authentic) return answers.unauthorized();

  let reports: readonly DeliveryReport[];
  try {
    const parsed = provider.parse(received);
    reports = Array.isArray(parsed) ? parsed : [parsed as DeliveryReport];
  } catch {
    return answers.unreadable();
  }
  if (reports.length === 0 || reports.some((report) => report?.provider !== provider.id)) {
    return answers.unreadable();
  }

  if (config.verifier === undefined) {
    for (const report of reports) config.dispatcher.report(report);
    return answers.accepted();
  }
  // In order; one the verifier refuses as no report is skipped (400 when every one was).
  let recorded = 0;
  for (const report of reports) {
    try {
      await config.verifier.report(report);
      recorded++;
    } catch (error) {
      if (isOtpError(error) && error.code === 'INVALID_INPUT') continue;
      try {
        config.onError(error, provider.id);
      } catch {}
      return answers.unavailable();
    }
  }
  return recorded === 0 ? answers.unreadable() : answers.accepted();
}

function route(config: ResolvedWebhookOptions, pathname: string): WebhookProvider | undefined {
  if (config.provider !== undefined) return config.providers.get(config.provider);
  const path = pathname.replace(/\/+$/, '');
  const prefix = `${config.basePath}/`;
  if (!path.startsWith(prefix)) return undefined;
  const id = path.slice(prefix.length);
  return config.providers.get(id);
}
