/** The longest vendor error code kept in `providerCode`; vendors' codes are a few characters. */
export const MAX_VENDOR_CODE_LENGTH = 64;
const VENDOR_CODE = /^[A-Za-z0-9_.:-]+$/;

/**
 * The vendor's error code as `providerCode` may hold it: `[redacted]` when it holds a secret (a vendor
 * that echoes the key or the body in its `code`), `undefined` when it is not a short code at all
 * (longer than `MAX_VENDOR_CODE_LENGTH`, or other characters than letters, digits and `_ . : -`).
 */
export function safeVendorCode(code: string, secrets: readonly (string | undefined)[]): string | undefined {
  if (redact(code, secrets) !== code) return '[redacted]';
  return code.length <= MAX_VENDOR_CODE_LENGTH && VENDOR_CODE.test(code) ? code : undefined;
}

/** Runs of 4 to 10 digits: what an OTP code is, wherever it sits in a secret (the message body). */
const DIGIT_RUNS = /(?<!\d)\d{4,10}(?!\d)/g;

/**
 * Replaces every occurrence of each secret (4 characters or more) with `[redacted]`, also spelt as it
 * travels in a form body or a URL (`a+b c` as `a%2Bb+c` or `a%2Bb%20c`), since a vendor that echoes
 * the request echoes it encoded. Each run of 4 to 10 digits inside a secret is redacted on its own too:
 * a vendor that quotes only the code of a body (`"text containing 482913"`), or the body with its
 * spaces changed, does not get the code through.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  const spellings = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    spellings.add(secret);
    for (const run of secret.match(DIGIT_RUNS) ?? []) spellings.add(run);
    spellings.add(new URLSearchParams({ s: secret }).toString().slice(2));
    try {
      spellings.add(encodeURIComponent(secret));
    } catch {
      // a lone surrogate has no percent-encoding; the form spelling above covers it
    }
  }
  // Longest first, so a secret that contains another is not left half visible.
  for (const spelling of [...spellings].sort((a, b) => b.length - a.length)) {
    out = out.split(spelling).join('[redacted]');
  }
  return out;
}
