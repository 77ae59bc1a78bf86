import type { FetchFunction, HttpClient } from './post-form.js';

/**
 * The part of `ky` that `createVendorClient` calls: pass ky's default export (`import ky from 'ky'`).
 * Core does not depend on ky; each vendor package does, and hands it over.
 */
export interface KyLike {
  create(options: {
    prefixUrl: string;
    headers: Record<string, string>;
    retry: 0;
    throwHttpErrors: false;
    fetch?: FetchFunction;
  }): HttpClient;
}

/** Options of `createVendorClient`. */
export interface VendorClientOptions {
  /** `ky` itself, from the vendor package's own dependency. */
  ky: KyLike;
  /** The vendor's API host (and path prefix); trailing slashes are dropped. */
  baseUrl: string;
  /**
   * Headers of every request (credentials, say). `accept: application/json` is added unless given.
   * @default {}
   */
  headers?: Record<string, string> | undefined;
  /** The provider's `fetch` option; requests go out through it. @default the global `fetch` */
  fetch?: FetchFunction | undefined;
}

/**
 * The HTTP client of a vendor package, for `postForm`: a ky instance on `baseUrl` that never retries
 * (only the dispatcher does) and never throws on a status (`httpError` classifies it).
 */
export function createVendorClient({ ky, baseUrl, headers, fetch }: VendorClientOptions): HttpClient {
  return ky.create({
    prefixUrl: trimBaseUrl(baseUrl),
    headers: { accept: 'application/json', ...headers },
    retry: 0,
    throwHttpErrors: false,
    ...(fetch === undefined ? {} : { fetch }),
  });
}

/** A base URL without its trailing slashes (`https://api.example.com/v2/` → `https://api.example.com/v2`). */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
