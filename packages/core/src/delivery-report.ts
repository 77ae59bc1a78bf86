import { isOtpError, OtpError } from './errors.js';
import type { DeliveryReport } from './types.js';
import { isMessageId, MAX_MESSAGE_ID_LENGTH } from './validation.js';

/**
 * Wraps a provider's delivery-report parser so that what a vendor's callback (or anyone calling that
 * route) sends can only end in a report or an `OtpError` `INVALID_INPUT`: a payload whose getter or
 * Proxy trap throws, or any other error of the parser, becomes `INVALID_INPUT` (the thrown error is not
 * kept: it may hold the payload), and so does a report whose message id fails `isMessageId` (blank,
 * control characters, longer than `MAX_MESSAGE_ID_LENGTH`).
 */
export function defineDeliveryReportParser<R extends DeliveryReport>(
  provider: string,
  parse: (payload: unknown) => R,
): (payload: unknown) => R {
  return (payload) => {
    let report: R;
    try {
      report = parse(payload);
    } catch (error) {
      if (isOtpError(error)) throw error;
      throw new OtpError(
        'INVALID_INPUT',
        `${provider}: the delivery report could not be read (reading one of its fields threw)`,
        { provider },
      );
    }
    if (!isMessageId(report.messageId)) {
      throw new OtpError(
        'INVALID_INPUT',
        `${provider}: expected a delivery report whose message id has 1 to ${MAX_MESSAGE_ID_LENGTH} characters and no control characters`,
        { provider },
      );
    }
    return report;
  };
}
