const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago", "yesterday", "just now": how long ago an ISO time was, in words. */
export function formatRelativeTime(
  iso: string,
  now: Date = new Date(),
): string {
  const seconds = (Date.parse(iso) - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return 'just now';
}

/** A date and time in the reader's locale. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/**
 * A waiver's expiry: a date without a time lasts to the end of that day (UTC), so it is shown as
 * that date rather than as midnight in the reader's time zone.
 */
export function formatUntil(until: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(until)) {
    return new Date(`${until}T00:00:00Z`).toLocaleDateString(undefined, {
      dateStyle: 'medium',
      timeZone: 'UTC',
    });
  }
  return formatDateTime(until);
}
