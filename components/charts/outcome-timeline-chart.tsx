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
import { outcomeColors, outcomeLabels } from './outcome-colors';

export type OutcomeBucket = { start: string; allowed: number; forbidden: number; other: number };

const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const dayTime = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});
const day = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Bucket labels must stay unique on the category axis: a span over a day needs the date too. */
export function bucketFormatter(bucketMinutes: number) {
  const format = bucketMinutes >= 1440 ? day : bucketMinutes >= 60 ? dayTime : time;
  return (start: string) => format.format(new Date(start));
}

export function describeBucket(bucketMinutes: number): string {
  if (bucketMinutes % 10080 === 0) return `${bucketMinutes / 10080}-week`;
  if (bucketMinutes % 1440 === 0) return `${bucketMinutes / 1440}-day`;
  if (bucketMinutes % 60 === 0) return `${bucketMinutes / 60}-hour`;
  return `${bucketMinutes}-minute`;
}

/** Requests per time bucket, stacked by outcome; `highlight` shades a span (an alert's own events). */
export function OutcomeTimelineChart({
  buckets,
  bucketMinutes,
  label,
  highlight,
}: {
  buckets: OutcomeBucket[];
  bucketMinutes: number;
  label: string;
  highlight?: { from: string; to: string; label: string };
}) {
  const bucketMs = bucketMinutes * 60_000;
  const format = bucketFormatter(bucketMinutes);
  const data = buckets.map((bucket) => ({ ...bucket, label: format(bucket.start) }));
  const shaded = highlight
    ? data.filter(
        (bucket) =>
          new Date(bucket.start).getTime() + bucketMs > new Date(highlight.from).getTime() &&
          new Date(bucket.start).getTime() <= new Date(highlight.to).getTime(),
      )
    : [];
  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" minTickGap={24} />
          <YAxis allowDecimals={false} width={56} />
          <Tooltip />
          <Legend />
          {highlight && shaded.length ? (
            <ReferenceArea
              x1={shaded[0]!.label}
              x2={shaded[shaded.length - 1]!.label}
              fill="#2457c5"
              fillOpacity={0.08}
              label={{ value: highlight.label, position: 'insideTop', fontSize: 11 }}
            />
          ) : null}
          <Bar dataKey="allowed" stackId="outcome" fill={outcomeColors.allowed} isAnimationActive={false} />
          <Bar dataKey="forbidden" stackId="outcome" fill={outcomeColors.forbidden} isAnimationActive={false} />
          <Bar
            dataKey="other"
            name={outcomeLabels.other}
            stackId="outcome"
            fill={outcomeColors.other}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted small">
        {describeBucket(bucketMinutes)} buckets, UTC
        {highlight ? <> · shaded: {highlight.label}</> : null}
      </figcaption>
    </figure>
  );
}
