import Link from 'next/link';
import { formatTimeRangeParams, resolveTimeRange } from '@/lib/time-range';
import { formatUtc, formatUtcInput } from '@/lib/format-time';
import './time-range-form.css';

const PRESETS = [
  { label: '24 h', days: 1 },
  { label: '7 d', days: 7 },
  { label: '14 d', days: 14 },
  { label: '30 d', days: 30 },
];

type Time = string | Date;

/** A UTC time as the form's text; what is no time at all (a refused range) shows empty. */
const toInput = (time: Time) => {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? '' : formatUtcInput(date);
};

/**
 * A page's range as a GET form (from/to read as UTC) and presets ending at `anchor`, the newest data
 * the page is about (now when there is none); the preset in force is marked. `keep` carries the
 * page's other URL parameters through.
 */
export function TimeRangeForm({
  path,
  range,
  anchor,
  defaultNote,
  keep = {},
  problem = null,
}: {
  path: string;
  range: { from: Time; to: Time; explicit: boolean };
  anchor: Time | null;
  /** What the page shows without a range in its URL. */
  defaultNote: string;
  keep?: Record<string, string>;
  /** Why the range in the URL was refused: said in the form, which keeps what was typed. */
  problem?: string | null;
}) {
  const href = (params: URLSearchParams) =>
    `${path}?${new URLSearchParams({ ...keep, ...Object.fromEntries(params) })}`;
  const from = new Date(range.from).getTime();
  const to = new Date(range.to).getTime();
  return (
    <form method="get" action={path} className="range-form" aria-label="Time range">
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label>
        From (UTC)
        <input name="from" className="utc-input" defaultValue={toInput(range.from)} required />
      </label>
      <label>
        To (UTC)
        <input name="to" className="utc-input" defaultValue={toInput(range.to)} required />
      </label>
      <button type="submit">Apply</button>
      <nav className="range-presets" aria-label="Quick ranges">
        {anchor ? 'Up to the newest event:' : 'Up to now:'}
        {PRESETS.map((preset) => {
          const quick = resolveTimeRange({}, anchor ? new Date(anchor) : null, preset.days);
          const current = quick.from.getTime() === from && quick.to.getTime() === to;
          return (
            <Link
              key={preset.days}
              href={href(formatTimeRangeParams(quick))}
              aria-current={current ? 'true' : undefined}
            >
              {preset.label}
            </Link>
          );
        })}
      </nav>
      {problem ? (
        <p role="alert" className="error-text filter-error">
          {problem}
        </p>
      ) : (
        <span className="muted small">
          {formatUtc(new Date(range.from))} – {formatUtc(new Date(range.to))}
          {range.explicit ? '' : ` (${defaultNote})`}
        </span>
      )}
    </form>
  );
}
