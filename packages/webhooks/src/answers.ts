/**
 * The handler's answers. None carries the body, a token, a signature or a secret: only a fixed word
 * for the vendor's logs.
 */
const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });

export const answers = {
  accepted: () => new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } }),
  notFound: () => text(404, 'not found'),
  methodNotAllowed: (methods: readonly string[]) =>
    text(405, 'method not allowed', { allow: methods.join(', ') }),
  unauthorized: () => text(401, 'unauthorized'),
  unreadable: () => text(400, 'unreadable delivery report'),
  tooLarge: () => text(413, 'payload too large', { connection: 'close' }),
  unavailable: () => text(503, 'temporarily unavailable', { 'retry-after': '5' }),
};
