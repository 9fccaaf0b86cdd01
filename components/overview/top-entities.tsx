import Link from 'next/link';
import { formatCount } from '@/components/format-number';
import { formatAlertQueueHref } from '@/lib/alerts/schemas';
import { ipHref, podHref, userHref } from '@/lib/entities/entity-links';
import type { TopEntities as TopEntitiesData } from '@/lib/overview/read-overview';

type TopRow = { key: string; label: string; href: string; count: number };

function TopList({ title, rows }: { title: string; rows: TopRow[] }) {
  const most = Math.max(1, ...rows.map((row) => row.count));
  return (
    <div className="overview-top-list">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">None in this range.</p>
      ) : (
        <ol aria-label={`Top ${title} by alerts`}>
          {rows.map((row) => (
            <li key={row.key}>
              <Link href={row.href} className="pivot">
                {row.label}
              </Link>
              <span className="overview-count">{formatCount(row.count)}</span>
              <span className="overview-bar" aria-hidden="true">
                <span className="overview-bar-open" style={{ width: `${(row.count / most) * 100}%` }} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The users, source IPs and pods with the most alerts, each a link to its page over the same range. */
export function TopEntities({ top, range }: { top: TopEntitiesData; range: { from: string; to: string } }) {
  return (
    <section className="panel" aria-label="Top entities">
      <h2>Most alerted</h2>
      <div className="overview-top">
        <TopList
          title="Users"
          rows={top.users.map((user) => ({
            key: user.name,
            label: user.name,
            href: userHref(user.name, range),
            count: user.count,
          }))}
        />
        <TopList
          title="Source IPs"
          rows={top.sourceIps.map((entry) => ({
            key: entry.ip,
            label: entry.ip,
            href: ipHref(entry.ip, range),
            count: entry.count,
          }))}
        />
        <TopList
          title="Pods"
          rows={top.pods.map((pod) => ({
            key: `${pod.namespace ?? ''}/${pod.name}`,
            label: pod.namespace === null ? pod.name : `${pod.namespace}/${pod.name}`,
            href:
              pod.namespace === null
                ? formatAlertQueueHref({ filter: { pod: pod.name } })
                : podHref(pod.namespace, pod.name, range),
            count: pod.count,
          }))}
        />
      </div>
    </section>
  );
}
