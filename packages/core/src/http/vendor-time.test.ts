import { describe, expect, it } from 'vitest';
import { parseVendorTime } from '../http.js';

describe('parseVendorTime', () => {
  it('reads Unix seconds and milliseconds', () => {
    expect(parseVendorTime('1700000000')).toEqual(new Date(1_700_000_000_000));
    expect(parseVendorTime(1_700_000_000_123)).toEqual(new Date(1_700_000_000_123));
  });

  it('reads a time without a zone in the zone given (UTC unless told)', () => {
    expect(parseVendorTime('2026-01-02 03:04:05')).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(parseVendorTime('2026-01-02 03:04', '+05:30')).toEqual(new Date('2026-01-01T21:34:00Z'));
    expect(parseVendorTime('2026-01-02T03:04:05.250')).toEqual(new Date('2026-01-02T03:04:05.250Z'));
  });

  it('reads times with their own offset, ISO 8601 or RFC 2822', () => {
    expect(parseVendorTime('2026-01-02T03:04:05+01:00')).toEqual(new Date('2026-01-02T02:04:05Z'));
    expect(parseVendorTime('2026-01-02 03:04:05+01:00')).toEqual(new Date('2026-01-02T02:04:05Z'));
    expect(parseVendorTime('Thu, 30 Jul 2015 20:12:31 +0000')).toEqual(new Date('2015-07-30T20:12:31Z'));
  });

  it('undefined for no time', () => {
    for (const value of [undefined, null, '', '  ', 'soon', '2026-13-45 99:99', {}, Number.NaN]) {
      expect(parseVendorTime(value)).toBeUndefined();
    }
  });
});
