const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** Every time the console shows is UTC, said so: audit logs from several clusters must line up. */
export function formatUtc(time: string | Date): string {
  return `${utc.format(typeof time === 'string' ? new Date(time) : time)} UTC`;
}

/** A date input's day (YYYY-MM-DD) as the last second of that day, UTC; empty means none. */
export function endOfUtcDay(day: string): string | null {
  return day ? new Date(`${day}T23:59:59Z`).toISOString() : null;
}

/** `2026-11-23 16:58:30.123`: one line in a dense table, sortable at a glance; UTC like every console time. */
export function formatUtcCompact(time: string): string {
  return new Date(time).toISOString().slice(0, 23).replace('T', ' ');
}
