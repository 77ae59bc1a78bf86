/**
 * Two-digit country calling codes (ITU-T E.164). `1` and `7` are one digit; every other code is three
 * digits. The codes are prefix-free, so the first digits of a number name its country code alone.
 */
const TWO_DIGIT_CODES = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

/** The longest prefix `destinationPrefix` gives, in digits after `+`: never enough to name a number. */
export const MAX_PREFIX_DIGITS = 6;

/**
 * The part of a number that attributes may carry: by default its country calling code (`+91` for
 * `+919876543210`, `+1` for `+14155550123`, `+354` for Iceland); with `digits`, the `+` and that many
 * digits (at most `MAX_PREFIX_DIGITS`, and always at least 4 digits short of the number). `"unknown"`
 * for anything that is not an E.164 number.
 */
export function destinationPrefix(to: unknown, digits?: number): string {
  if (typeof to !== 'string' || !/^\+[1-9]\d{6,14}$/.test(to)) return 'unknown';
  const number = to.slice(1);
  if (digits !== undefined) {
    const keep = Math.max(1, Math.min(Math.floor(digits), MAX_PREFIX_DIGITS, number.length - 4));
    return `+${number.slice(0, keep)}`;
  }
  if (number[0] === '1' || number[0] === '7') return `+${number[0]}`;
  const two = number.slice(0, 2);
  return `+${TWO_DIGIT_CODES.has(two) ? two : number.slice(0, 3)}`;
}
