import { createRequire } from 'node:module';

// Loaded when first needed, not at import: eventemitter3 when a dispatcher is built, p-retry when a send
// first fails. A serverless cold start that only imports otpkit pays for neither, and the first attempt
// of every send runs without p-retry anyway. Both load synchronously (p-retry is ESM, which Node's
// require() loads since 20.19, the oldest Node this package supports).
let requireHere: NodeJS.Require | undefined;

/** `require(id)` from this package, the `createRequire` made on first use. */
export function lazyRequire(id: string): unknown {
  requireHere ??= createRequire(import.meta.url);
  return requireHere(id);
}
