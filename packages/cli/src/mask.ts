/** Option and field names that hold a credential: their values are masked wherever the CLI prints. */
const SECRET_NAME = /(key|secret|token|password|passwd|credential|auth)/i;

/** True when an option (`apiKey`), a variable (`KALEYRA_API_KEY`) or a form field (`api_secret`) holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A secret as the CLI prints it: `****` and at most its last 2 characters, and only for a value of 8
 * characters or more, so a short secret shows nothing of itself.
 */
export function maskSecret(value: string): string {
  return value.length >= 8 ? `****${value.slice(-2)}` : '****';
}

/** `value` masked when `name` says it is a secret, as is otherwise. */
export function maskIfSecret(name: string, value: string): string {
  return isSecretName(name) ? maskSecret(value) : value;
}

/**
 * Replaces every occurrence of the given secrets in `text` (an error message, a vendor's reply) by its
 * mask: a last line of defence for text the CLI did not write itself.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(maskSecret(secret));
  }
  return out;
}

/** The values of every secret-named variable in the environment, for `scrub`. */
export function secretsIn(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && value.trim() !== '' && isSecretName(name))
    .map(([, value]) => value!.trim());
}
