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
  if (request.body === null) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        return { ok: false };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(bytes) };
}
