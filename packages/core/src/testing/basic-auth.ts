/**
 * The user and password of a request's HTTP Basic `authorization` header, as a vendor emulator checks
 * them; `undefined` without one or when it is not Basic.
 */
export function basicCredentials(request: Request): { user: string; password: string } | undefined {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
