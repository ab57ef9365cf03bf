import { sigv4Errors } from './sigv4-errors.js';

/** How far a request's date may be from the server's clock, either way (AWS: 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** The instant a request says it was signed at. */
export interface RequestDate {
  readonly date: Date;
  /** `yyyymmddThhmmssZ`, the form the string to sign and AWS's messages use. */
  readonly amzDate: string;
}

/** `yyyymmddThhmmssZ` of an instant, seconds truncated. */
export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** A UTC calendar instant, or undefined when the fields name no real moment (Feb 30, 25:00, ...). */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): Date | undefined {
  const date = new Date(Date.UTC(year, month, day, hour, minute, second));
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return exact ? date : undefined;
}

/**
 * The request's date: X-Amz-Date when present (ISO 8601 basic format), else the HTTP Date header
 * (IMF-fixdate). Throws IncompleteSignatureException for an unparsable value.
 */
export function parseRequestDate(amzDate: string | undefined, httpDate: string | undefined): RequestDate {
  if (amzDate !== undefined) {
    const m = AMZ_DATE.exec(amzDate);
    const date = m && utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    if (!date) throw sigv4Errors.badAmzDate(amzDate);
    return { date, amzDate };
  }
  const value = httpDate ?? '';
  const m = HTTP_DATE.exec(value);
  const month = MONTHS.indexOf(m?.[2] ?? '');
  const date = m && month >= 0 && utc(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (!date) throw sigv4Errors.badHttpDate(value);
  return { date, amzDate: formatAmzDate(date) };
}

/** Refuses a request dated more than 15 minutes before or after `now`, in AWS's words. */
export function checkClockSkew(request: RequestDate, now: Date): void {
  // AWS's messages work in whole seconds.
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  const at = request.date.getTime();
  if (at < nowMs - MAX_CLOCK_SKEW_MS) {
    throw sigv4Errors.expired(
      request.amzDate,
      formatAmzDate(new Date(nowMs - MAX_CLOCK_SKEW_MS)),
      formatAmzDate(new Date(nowMs)),
    );
  }
  if (at > nowMs + MAX_CLOCK_SKEW_MS) {
    throw sigv4Errors.notYetCurrent(
      request.amzDate,
      formatAmzDate(new Date(nowMs + MAX_CLOCK_SKEW_MS)),
      formatAmzDate(new Date(nowMs)),
    );
  }
}
