// Every time the console shows is UTC, in one format: audit logs from several clusters must line up.

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `2026-12-01 23:40:49` of a time, UTC (what a UTC input shows and takes). */
export function formatUtcInput(time: string | Date): string {
  const date = typeof time === 'string' ? new Date(time) : time;
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

/** `2026-12-01 23:40:49 UTC`: the one format of every time in the console. */
export function formatUtc(time: string | Date): string {
  return `${formatUtcInput(time)} UTC`;
}

/** A date input's day (YYYY-MM-DD) as the last second of that day, UTC; empty means none. */
export function endOfUtcDay(day: string): string | null {
  return day ? new Date(`${day}T23:59:59Z`).toISOString() : null;
}
