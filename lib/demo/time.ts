// Scenario time is integer microseconds since the epoch, the precision kube-apiserver writes.

export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

// Events cluster within the same second, so the date-time part is formatted once per second.
let formattedSecond = Number.NaN;
let formattedPrefix = '';

/** Microseconds since the epoch → RFC 3339 with microseconds, as kube-apiserver writes it. */
export function formatMicros(micros: number): string {
  const second = Math.floor(micros / 1_000_000);
  if (second !== formattedSecond) {
    formattedSecond = second;
    formattedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${formattedPrefix}${String(micros - second * 1_000_000 + 1_000_000).slice(1)}Z`;
}

/** Sort comparator for UTC RFC 3339 timestamps, which order as text. */
export function compareTimestamps(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
