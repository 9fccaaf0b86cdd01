/** A span in seconds the way a triage table reads it: "45 s", "12 min", "3.5 h", "2.1 d"; null is "—". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const round = (value: number) => (value < 10 ? Math.round(value * 10) / 10 : Math.round(value));
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  if (seconds < 86_400) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86_400)} d`;
}
