import { outcomeSeries } from '@/components/charts/outcome-colors';
import { TimeBucketChart } from '@/components/charts/time-bucket-chart';
import type { AlertDetail, IdentityTimeline } from '@/lib/alerts/read-alert';

/** Everything the alert's identity did around it, the alert's own span shaded. */
export function TimelinePanel({ alert, timeline }: { alert: AlertDetail; timeline: IdentityTimeline }) {
  return (
    <section className="panel" aria-label="Identity timeline">
      <h2>
        {timeline.identity ? `Everything ${timeline.identity.value} did, 30 minutes either side` : 'Identity timeline'}
      </h2>
      {timeline.identity ? (
        <TimeBucketChart
          label="Identity timeline"
          series={outcomeSeries}
          buckets={timeline.buckets}
          bucketMinutes={timeline.bucketMinutes}
          highlight={{ from: alert.firstEventAt, to: alert.lastEventAt, label: "the alert's own events" }}
        />
      ) : (
        <p className="muted">The alert names no user, source IP or pod to follow.</p>
      )}
    </section>
  );
}
