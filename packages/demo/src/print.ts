import type { Dispatcher } from '@otpkit/core';

const started = Date.now();
const clock = () => `+${String(Date.now() - started).padStart(5, ' ')} ms`;
// A dispatch id is the dispatcher's random prefix (shared by all its sends) then a counter: show the
// end of the prefix and the counter, the part that tells sends apart.
export const short = (id: string): string => {
  const cut = id.lastIndexOf('-');
  return cut === -1 ? id.slice(-8) : `${id.slice(Math.max(0, cut - 4), cut)}-${id.slice(cut + 1)}`;
};

/** Prints every lifecycle event of a dispatcher, one line each. */
export function printLifecycle(dispatcher: Dispatcher): void {
  dispatcher
    .on('queued', (e) =>
      console.log(`${clock()}  queued     ${short(e.id)} to ${e.to} ref=${e.reference ?? '-'}`),
    )
    .on('retrying', (e) =>
      console.log(
        `${clock()}  retrying   ${short(e.id)} ${e.provider} attempt ${e.attempt} failed with ${e.error.code}; next in ${e.delayMs} ms`,
      ),
    )
    .on('failover', (e) =>
      console.log(
        `${clock()}  failover   ${short(e.id)} ${e.provider} gave ${e.error.code}; trying ${e.nextProvider}`,
      ),
    )
    .on('sent', (e) =>
      console.log(
        `${clock()}  sent       ${short(e.id)} by ${e.provider} as ${e.receipt.messageId} after ${e.attempt} attempt(s), ${e.elapsedMs} ms`,
      ),
    )
    .on('failed', (e) =>
      console.log(
        `${clock()}  failed     ${short(e.id)} ${e.provider}: ${e.error.code}${e.error.providerCode ? ` (${e.error.providerCode})` : ''} ${e.error.message}`,
      ),
    )
    .on('delivered', (e) =>
      console.log(
        `${clock()}  delivered  ${e.id ? short(e.id) : '-'} ${e.messageId} (${e.report.providerStatus}) ref=${e.reference ?? '-'}`,
      ),
    )
    .on('undelivered', (e) =>
      console.log(
        `${clock()}  undelivered ${e.id ? short(e.id) : '-'} ${e.messageId} (${e.report.providerStatus}${e.report.errorCode ? ` ${e.report.errorCode}` : ''}) ref=${e.reference ?? '-'}`,
      ),
    );
}

export function heading(text: string): void {
  console.log(`\n== ${text}`);
}
