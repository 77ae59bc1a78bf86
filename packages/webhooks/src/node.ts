/**
 * The handler on Node's own HTTP server, Express and Fastify: `@otpkit/webhooks/node`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookHandler } from './webhook-handler.js';

/** A Node request, as `node:http`, Express (`req`) and Fastify (`request.raw`) give it. */
export type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/**
 * Serves a webhook handler on a Node request and response: `http.createServer(toNodeHandler(handle))`,
 * `app.all('/otpkit/:provider', toNodeHandler(handle))` in Express, or in Fastify `reply.hijack()` then
 * `toNodeHandler(handle)(request.raw, reply.raw)`.
 *
 * It reads the body itself, holding at most the handler's `maxBodyBytes` (one byte more tells the
 * handler it is over, which answers 413 and closes the connection). Mount it before any body parser;
 * a body a parser already read is taken from `req.body` when it is a string or bytes, and when it is a
 * parsed form or JSON object it is encoded again (a Twilio JSON callback then fails its `bodySHA256`).
 */
export function toNodeHandler(
  handle: WebhookHandler,
): (request: NodeRequest, response: ServerResponse, next?: (error?: unknown) => void) => void {
  return (request, response) => {
    serve(handle, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      response.end();
    });
  };
}

async function serve(handle: WebhookHandler, request: NodeRequest, response: ServerResponse): Promise<void> {
  const limit = handle.maxBodyBytes;
  const body = await bodyOf(request, limit);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  // The body was read here: its own length tells the handler whether it passed the limit.
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  const method = (request.method ?? 'GET').toUpperCase();
  const url = `http://${request.headers.host ?? 'localhost'}${request.originalUrl ?? request.url ?? '/'}`;
  const answer = await handle(
    new Request(url, {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' || body.length === 0 ? {} : { body: new Uint8Array(body) }),
    }),
  );
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(Buffer.from(await answer.arrayBuffer()));
  if (!request.readableEnded) {
    // A body over the limit: the rest is not read. Drop the connection once the answer is out.
    response.once('finish', () => request.destroy());
  }
}

/** At most `limit + 1` bytes of the body: from the stream, or what a body parser left in `req.body`. */
async function bodyOf(request: NodeRequest, limit: number): Promise<Buffer> {
  const parsed = request.body;
  if (typeof parsed === 'string' || parsed instanceof Uint8Array) {
    return Buffer.from(parsed).subarray(0, limit + 1);
  }
  if (typeof parsed === 'object' && parsed !== null && request.readableEnded) {
    const type = request.headers['content-type'] ?? '';
    const text = type.includes('json') ? JSON.stringify(parsed) : formOf(parsed as Record<string, unknown>);
    return Buffer.from(text).subarray(0, limit + 1);
  }
  if (request.readableEnded) return Buffer.alloc(0);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      const room = limit + 1 - size;
      chunks.push(piece.subarray(0, room));
      size += Math.min(piece.length, room);
      if (size > limit) {
        // Over the limit: stop reading (the stream stays open, so the 413 can still be written).
        stop();
        request.pause();
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
  });
}

function formOf(fields: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
        form.append(name, String(item));
      }
    }
  }
  return form.toString();
}
