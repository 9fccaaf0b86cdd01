'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatUtc } from '@/lib/format-time';
import { niceTicks } from './nice-ticks';
import './charts.css';

/** Axis labels and tooltips in the theme's colours. */
export const axisTick = { fill: 'var(--chart-axis)', fontSize: 12 };
export const tooltipStyle = {
  background: 'var(--panel)',
  border: '1px solid var(--border)',
  color: 'var(--text)',
};

export type TimeBucketSeries = { key: string; label: string; color: string };

const day = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', timeZone: 'UTC' });
const dayYear = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayTime = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

function bucketLabel(minutes: number): string {
  if (minutes % 10080 === 0) return `${minutes / 10080}-week`;
  if (minutes % 1440 === 0) return `${minutes / 1440}-day`;
  if (minutes % 60 === 0) return `${minutes / 60}-hour`;
  return `${minutes}-minute`;
}

/** Counts per time bucket, stacked by series; every label is UTC. `highlight` shades a span (an alert's own events). */
export function TimeBucketChart({
  label,
  buckets,
  bucketMinutes,
  series,
  height = 220,
  highlight,
}: {
  label: string;
  buckets: ({ start: string } & Record<string, number | string>)[];
  bucketMinutes: number;
  series: TimeBucketSeries[];
  height?: number;
  highlight?: { from: string; to: string; label: string };
}) {
  const bucketMs = bucketMinutes * 60_000;
  const shaded = highlight
    ? buckets.filter(
        (bucket) =>
          Date.parse(bucket.start) + bucketMs > Date.parse(highlight.from) &&
          Date.parse(bucket.start) <= Date.parse(highlight.to),
      )
    : [];
  const first = buckets[0]?.start;
  const last = buckets.at(-1)?.start;
  const spansYears = Boolean(first && last && first.slice(0, 4) !== last.slice(0, 4));
  const tick = bucketMinutes >= 1440 ? (spansYears ? dayYear : day) : dayTime;
  const stackMax = Math.max(
    0,
    ...buckets.map((bucket) => series.reduce((sum, entry) => sum + (Number(bucket[entry.key]) || 0), 0)),
  );
  const yTicks = niceTicks(stackMax);
  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={buckets} margin={{ top: 10, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--chart-grid)" />
          <XAxis
            dataKey="start"
            minTickGap={24}
            tickFormatter={(start: string) => tick.format(new Date(start))}
            tick={axisTick}
            stroke="var(--chart-grid)"
          />
          <YAxis
            allowDecimals={false}
            width={56}
            ticks={yTicks}
            domain={[0, yTicks.at(-1)!]}
            interval={0}
            tick={axisTick}
            stroke="var(--chart-grid)"
          />
          <Tooltip
            labelFormatter={(start) => formatUtc(String(start))}
            contentStyle={tooltipStyle}
            cursor={{ fill: 'var(--subtle)' }}
          />
          {/* In the series order (severity: critical first), not alphabetical. */}
          <Legend itemSorter={null} />
          {highlight && shaded.length ? (
            <ReferenceArea
              x1={shaded[0]!.start}
              x2={shaded.at(-1)!.start}
              fill="var(--accent)"
              fillOpacity={0.08}
              label={{ value: highlight.label, position: 'insideTop', fontSize: 11 }}
            />
          ) : null}
          {series.map((entry) => (
            <Bar
              key={entry.key}
              dataKey={entry.key}
              name={entry.label}
              stackId="series"
              fill={entry.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted small">
        {bucketLabel(bucketMinutes)} buckets, UTC{highlight ? ` · shaded: ${highlight.label}` : ''}
      </figcaption>
    </figure>
  );
}
