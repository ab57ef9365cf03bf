/**
 * Timestamps as AWS CLI v2 prints them: `datetime.fromtimestamp(t, tzlocal()).isoformat()` —
 * local time with its UTC offset, microseconds only when non-zero
 * (`2023-05-15T14:27:18.548000+00:00`, `2023-05-15T10:27:18-04:00`).
 */

/**
 * The zone's UTC offset in seconds at an instant. `tz` is the TZ variable of the command's
 * environment: unset means the process's local zone; an IANA name (optionally `:`-prefixed) is
 * looked up with Intl; a POSIX `EST5` form gives its fixed offset; anything else is UTC, as glibc does.
 */
export function utcOffsetSeconds(epochMs: number, tz: string | undefined): number {
  if (tz === undefined) return -new Date(epochMs).getTimezoneOffset() * 60;
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  if (name === '') return 0;
  try {
    return intlOffsetSeconds(epochMs, name);
  } catch {
    const posix = /^(?:[A-Za-z]{3,}|<[^>]+>)([+-]?)(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?/.exec(name);
    if (!posix) return 0;
    const seconds = Number(posix[2]) * 3600 + Number(posix[3] ?? 0) * 60 + Number(posix[4] ?? 0);
    // POSIX offsets count west of Greenwich as positive.
    return posix[1] === '-' ? seconds : -seconds;
  }
}

function intlOffsetSeconds(epochMs: number, timeZone: string): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const local = Date.UTC(
    year,
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return Math.round((local - wholeSecond) / 1000);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Python's `isoformat()` of the instant in the given zone (see utcOffsetSeconds for `tz`). */
export function formatIsoTimestamp(epochMs: number, tz: string | undefined): string {
  const totalMicros = Math.round(epochMs * 1000);
  const micros = ((totalMicros % 1_000_000) + 1_000_000) % 1_000_000;
  const wholeMs = (totalMicros - micros) / 1000;
  const offset = utcOffsetSeconds(wholeMs, tz);
  const local = new Date(wholeMs + offset * 1000);
  let text =
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  if (micros !== 0) text += `.${pad(micros, 6)}`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  text += `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}`;
  if (abs % 60 !== 0) text += `:${pad(abs % 60)}`;
  return text;
}
