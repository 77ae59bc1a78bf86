import type { OtpError, OtpMessage, OtpProvider } from '@otpkit/core';
import { isOtpError } from '@otpkit/core';
import { expect } from 'vitest';

export async function sendExpectingFailure(
  provider: OtpProvider,
  message: OtpMessage,
  context: { signal: AbortSignal; attempt: number },
): Promise<OtpError> {
  try {
    await provider.send(message, context);
  } catch (error) {
    if (!isOtpError(error)) {
      throw new Error(
        `expected an OtpError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
    return error;
  }
  throw new Error('expected the send to fail, but the provider resolved');
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/**
 * Fails when any secret appears in an error's message, its JSON form, or anywhere along its `cause`
 * chain. Exported for providers' own tests.
 */
export function assertNoSecrets(error: unknown, secrets: readonly string[]): void {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) texts.push(current.message, String(current.stack ?? ''));
    texts.push(String(current));
    try {
      texts.push(JSON.stringify(current) ?? '');
    } catch {
      // circular structures cannot leak through JSON.stringify either
    }
    current = (current as { cause?: unknown }).cause;
  }
  const all = texts.join('\n');
  for (const secret of secrets) {
    if (secret.length >= 4)
      expect(all.includes(secret), 'a secret appears in the error, its JSON form or its cause chain').toBe(
        false,
      );
  }
}
