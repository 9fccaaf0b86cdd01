import Link from 'next/link';
import { formatUtc } from './format-time';

const PRESETS = [
  { label: '24 h', days: 1 },
  { label: '7 d', days: 7 },
  { label: '14 d', days: 14 },
  { label: '30 d', days: 30 },
];

/** An ISO time as a datetime-local value (UTC, minutes). */
function toLocalInput(iso: string): string {
  return iso.slice(0, 16);
}

/**
 * The range of a page as a GET form (from/to read as UTC) and presets ending at `anchor`, the newest
 * data the page is about. `keep` carries the page's other URL parameters through.
 */
export function TimeRangeForm({
  path,
  range,
  anchor,
  keep = {},
}: {
  path: string;
  range: { from: string; to: string; explicit: boolean };
  anchor: string | null;
  keep?: Record<string, string>;
}) {
  const end = anchor ? new Date(Math.ceil((new Date(anchor).getTime() + 1) / 60_000) * 60_000) : new Date();
  const presetHref = (days: number) => {
    const params = new URLSearchParams(keep);
    params.set('from', new Date(end.getTime() - days * 86_400_000).toISOString());
    params.set('to', end.toISOString());
    return `${path}?${params}`;
  };
  return (
    <form method="get" action={path} className="range-form" aria-label="Time range">
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label>
        From (UTC)
        <input type="datetime-local" name="from" defaultValue={toLocalInput(range.from)} />
      </label>
      <label>
        To (UTC)
        <input type="datetime-local" name="to" defaultValue={toLocalInput(range.to)} />
      </label>
      <button type="submit">Apply</button>
      <span className="range-presets">
        {anchor ? 'Latest:' : 'Last:'}
        {PRESETS.map((preset) => (
          <Link key={preset.days} href={presetHref(preset.days)}>
            {preset.label}
          </Link>
        ))}
      </span>
      <span className="muted small">
        {formatUtc(range.from)} – {formatUtc(range.to)}
        {range.explicit ? '' : ' (default: the latest days of data)'}
      </span>
    </form>
  );
}
