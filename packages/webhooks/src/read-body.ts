import { readCapped } from '@otpkit/core/http';

/** What reading a request body gave: its text, or that it passed the limit. */
export type BodyRead = { ok: true; text: string } | { ok: false };

/**
 * Reads a request body as UTF-8 text, holding at most `maxBytes` of it: a `Content-Length` over the
 * limit is refused before reading, and a body that streams past it is cancelled at the first chunk that
 * does. A body that fails mid-way reads as too large too (the caller answers 413 and reports nothing).
 */
export async function readBody(request: Request, maxBytes: number): Promise<BodyRead> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) return { ok: false };
  try {
    const text = await readCapped(request.body, maxBytes);
    return text === undefined ? { ok: false } : { ok: true, text };
  } catch {
    return { ok: false };
  }
}
