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
import type { IdentityTimeline } from '@/lib/alerts/read-alert';
import { outcomeColors, outcomeLabels } from './outcome-colors';

const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const dayTime = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** The identity's requests around the alert, stacked by outcome; the alert's own span is shaded. */
export function IdentityTimelineChart({
  timeline,
  alertFrom,
  alertTo,
}: {
  timeline: IdentityTimeline;
  alertFrom: string;
  alertTo: string;
}) {
  const bucketMs = timeline.bucketMinutes * 60_000;
  // Labels must stay unique on the category axis: a span over a day needs the date too.
  const format = timeline.bucketMinutes >= 60 ? dayTime : time;
  const data = timeline.buckets.map((bucket) => ({ ...bucket, label: format.format(new Date(bucket.start)) }));
  const inAlert = data.filter(
    (bucket) =>
      new Date(bucket.start).getTime() + bucketMs > new Date(alertFrom).getTime() &&
      new Date(bucket.start).getTime() <= new Date(alertTo).getTime(),
  );
  return (
    <figure className="chart" aria-label="Identity timeline">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" minTickGap={24} />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          {inAlert.length ? (
            <ReferenceArea
              x1={inAlert[0]!.label}
              x2={inAlert[inAlert.length - 1]!.label}
              fill="#2457c5"
              fillOpacity={0.08}
              label={{ value: 'alert', position: 'insideTop', fontSize: 11 }}
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
        {timeline.bucketMinutes}-minute buckets, UTC · shaded: the alert&apos;s own events
      </figcaption>
    </figure>
  );
}
