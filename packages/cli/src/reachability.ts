import { lookup } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';

/** One step of a reachability check. */
export interface ReachStep {
  ok: boolean;
  /** How long it took, in ms. */
  ms: number;
  /** What it found (an address, a TLS version) or why it failed. */
  detail: string;
}

/** DNS, TCP and (for https) TLS to a provider's host. A step that failed ends the check. */
export interface Reachability {
  url: string;
  host: string;
  port: number;
  ok: boolean;
  dns: ReachStep;
  tcp?: ReachStep;
  /** Absent for `http:` (nothing to negotiate) and after a failed step. */
  tls?: ReachStep;
}

/**
 * Checks that `baseUrl`'s host can be reached: the name resolves (`dns.lookup`, as `fetch` does), a
 * TCP connection opens, and for `https:` a TLS handshake completes with a certificate valid for the
 * name. Each step is timed and gives up after `timeoutMs`. Nothing is sent over the connection.
 */
export async function checkReachability(baseUrl: string, timeoutMs: number): Promise<Reachability> {
  const url = new URL(baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const secure = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  const result: Reachability = {
    url: url.origin,
    host,
    port,
    ok: false,
    dns: { ok: false, ms: 0, detail: '' },
  };

  let address = host;
  let started = performance.now();
  if (net.isIP(host)) {
    result.dns = { ok: true, ms: 0, detail: `${host} (an address, nothing to resolve)` };
  } else {
    try {
      const found = await withTimeout(lookup(host), timeoutMs, 'no answer');
      address = found.address;
      result.dns = { ok: true, ms: since(started), detail: found.address };
    } catch (error) {
      result.dns = { ok: false, ms: since(started), detail: reason(error) };
      return result;
    }
  }

  started = performance.now();
  const socket = net.connect({ host: address, port });
  socket.unref();
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      }),
      timeoutMs,
      'no answer',
    );
    result.tcp = { ok: true, ms: since(started), detail: `${address}:${port}` };
  } catch (error) {
    socket.destroy();
    result.tcp = { ok: false, ms: since(started), detail: reason(error) };
    return result;
  }

  if (!secure) {
    socket.destroy();
    result.ok = true;
    return result;
  }
  started = performance.now();
  const secured = tls.connect({
    socket,
    servername: net.isIP(host) ? undefined : host,
    ALPNProtocols: ['http/1.1'],
  });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        secured.once('secureConnect', resolve);
        secured.once('error', reject);
      }),
      timeoutMs,
      'no handshake',
    );
    const certificate = secured.getPeerCertificate();
    const validTo = certificate?.valid_to
      ? `, certificate valid to ${new Date(certificate.valid_to).toISOString().slice(0, 10)}`
      : '';
    result.tls = { ok: true, ms: since(started), detail: `${secured.getProtocol() ?? 'TLS'}${validTo}` };
    result.ok = true;
  } catch (error) {
    result.tls = { ok: false, ms: since(started), detail: reason(error) };
  } finally {
    secured.destroy();
    socket.destroy();
  }
  return result;
}

function since(started: number): number {
  return Math.round(performance.now() - started);
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
