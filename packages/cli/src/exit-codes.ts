import type { OtpErrorCode } from '@otpkit/core';

/**
 * Exit statuses of every command (documented in docs/reference/cli.md):
 * 0 all well, 1 the check or the send failed, 2 the command line is wrong, 3 the configuration or the
 * credentials are wrong, 4 the vendor refused this message, 130 interrupted (Ctrl-C).
 */
export const EXIT = Object.freeze({
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  CONFIG: 3,
  REJECTED: 4,
  INTERRUPTED: 130,
});

/** The exit status for a send that ended with this error code. */
export function exitForError(code: OtpErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
      return EXIT.USAGE;
    case 'INVALID_CONFIG':
    case 'AUTHENTICATION':
      return EXIT.CONFIG;
    case 'REJECTED':
      return EXIT.REJECTED;
    case 'ABORTED':
      return EXIT.INTERRUPTED;
    default:
      return EXIT.FAILED;
  }
}
