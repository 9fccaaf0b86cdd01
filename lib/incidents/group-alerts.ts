// Incident grouping: alerts joined by an identity chain within a gap. Pure and deterministic: the same
// alerts give the same groups, members and explanations in any input order, so re-running detection or
// re-ingesting changes nothing. The links, each within the gap of the alerts it joins:
//   the same pod (cluster, namespace, name);
//   a service account and a token use no pod is named for (a stolen token) → every alert of that account;
//   a service account and the source IP its token was used from;
//   the same user and source IP.
import { isServiceAccount, serviceAccountNamespace } from '../vocabulary/service-account';
import { SEVERITIES, type Severity } from './schemas';

export type GroupableAlert = {
  id: string;
  ruleId: string;
  severity: Severity;
  cluster: string | null;
  firstEventAt: Date;
  lastEventAt: Date;
  username: string | null;
  podName: string | null;
  /** The pod's namespace where the rule knows it (a file event's); else the service account's. */
  podNamespace: string | null;
  sourceIps: readonly string[];
};

export type GroupedMember = {
  alertId: string;
  /** The member this one was joined to, and why; null for the incident's first alert. */
  joinedWith: string | null;
  reason: string | null;
};

export type AlertGroup = {
  /** The first member's id: what ties a recomputed group to the incident it was before. */
  firstAlertId: string;
  members: GroupedMember[];
};

type Link = { kind: 'pod' | 'service-account' | 'service-account-ip' | 'user-ip'; key: string; label: string };

const compareAlerts = (left: GroupableAlert, right: GroupableAlert) =>
  left.firstEventAt.getTime() - right.firstEventAt.getTime() ||
  left.lastEventAt.getTime() - right.lastEventAt.getTime() ||
  (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);

/** The pod's namespace: a bound token's pod lives in its service account's namespace. */
export function podNamespaceOf(alert: Pick<GroupableAlert, 'podNamespace' | 'username'>): string | null {
  return alert.podNamespace ?? serviceAccountNamespace(alert.username);
}

function linksOf(alert: GroupableAlert): Link[] {
  const cluster = alert.cluster ?? '';
  const links: Link[] = [];
  const podNamespace = podNamespaceOf(alert);
  if (alert.podName && podNamespace)
    links.push({
      kind: 'pod',
      key: `pod\u0000${cluster}\u0000${podNamespace}\u0000${alert.podName}`,
      label: `shared pod ${podNamespace}/${alert.podName}`,
    });
  const user = alert.username;
  if (!user) return links;
  const ips = [...new Set(alert.sourceIps)].sort();
  if (isServiceAccount(user)) {
    links.push({
      kind: 'service-account',
      key: `sa\u0000${cluster}\u0000${user}`,
      label: `service account ${user}`,
    });
    for (const ip of ips)
      links.push({
        kind: 'service-account-ip',
        key: `sa-ip\u0000${cluster}\u0000${user}\u0000${ip}`,
        label: `service account ${user} token used from ${ip}`,
      });
  } else {
    for (const ip of ips)
      links.push({
        kind: 'user-ip',
        key: `user-ip\u0000${cluster}\u0000${user}\u0000${ip}`,
        label: `same user ${user} from ${ip}`,
      });
  }
  return links;
}

type Edge = { from: number; to: number; label: string; rank: number };

// When two links reach a member, the more specific one explains it.
const LINK_RANK: Record<Link['kind'], number> = { pod: 0, 'service-account-ip': 1, 'service-account': 2, 'user-ip': 3 };

function find(parent: number[], index: number): number {
  let root = index;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[index] !== root) {
    const next = parent[index]!;
    parent[index] = root;
    index = next;
  }
  return root;
}

function union(parent: number[], left: number, right: number) {
  const a = find(parent, left);
  const b = find(parent, right);
  // The earlier alert's root wins, so roots are the first members.
  if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
}

/** Groups alerts; `gapMs` is the longest quiet time between two alerts of one chain. */
export function groupAlerts(input: readonly GroupableAlert[], gapMs: number): AlertGroup[] {
  const alerts = [...input].sort(compareAlerts);
  const parent = alerts.map((_, index) => index);
  const edges: Edge[] = [];
  const byLink = new Map<string, { link: Link; members: number[] }>();
  alerts.forEach((alert, index) => {
    for (const link of linksOf(alert)) {
      const entry = byLink.get(link.key) ?? { link, members: [] };
      entry.members.push(index);
      byLink.set(link.key, entry);
    }
  });
  const keys = [...byLink.keys()].sort();
  for (const key of keys) {
    const { link, members } = byLink.get(key)!;
    if (link.kind === 'service-account') {
      // An account alone joins only through a use of its token no pod is named for: two pods sharing
      // the namespace's default account are not one attacker.
      for (const anchor of members) {
        if (alerts[anchor]!.podName) continue;
        for (const other of members) {
          if (other === anchor || !withinGap(alerts[anchor]!, alerts[other]!, gapMs)) continue;
          edges.push({
            from: Math.min(anchor, other),
            to: Math.max(anchor, other),
            label: link.label,
            rank: LINK_RANK[link.kind],
          });
          union(parent, anchor, other);
        }
      }
      continue;
    }
    // Members are in time order: each joins the chain so far when it starts within the gap of its end.
    let chainEnd = -Infinity;
    let previous = -1;
    for (const member of members) {
      const alert = alerts[member]!;
      if (previous >= 0 && alert.firstEventAt.getTime() - chainEnd <= gapMs) {
        edges.push({ from: previous, to: member, label: link.label, rank: LINK_RANK[link.kind] });
        union(parent, previous, member);
      } else {
        chainEnd = -Infinity;
      }
      chainEnd = Math.max(chainEnd, alert.lastEventAt.getTime());
      previous = member;
    }
  }
  return explainGroups(alerts, parent, edges);
}

function withinGap(left: GroupableAlert, right: GroupableAlert, gapMs: number): boolean {
  const [early, late] = compareAlerts(left, right) <= 0 ? [left, right] : [right, left];
  return late.firstEventAt.getTime() - early.lastEventAt.getTime() <= gapMs;
}

// Each member is explained by the link that first reaches it from the incident's first alert
// (breadth first, the earliest neighbour first), so the explanation is as stable as the groups.
function explainGroups(alerts: readonly GroupableAlert[], parent: number[], edges: readonly Edge[]): AlertGroup[] {
  type Neighbour = { other: number; label: string; rank: number };
  const neighbours = new Map<number, Neighbour[]>();
  const add = (from: number, to: number, edge: Edge) => {
    const list = neighbours.get(from) ?? [];
    list.push({ other: to, label: edge.label, rank: edge.rank });
    neighbours.set(from, list);
  };
  for (const edge of edges) {
    add(edge.from, edge.to, edge);
    add(edge.to, edge.from, edge);
  }
  for (const list of neighbours.values())
    list.sort((a, b) => a.other - b.other || a.rank - b.rank || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const order = new Map(alerts.map((candidate, position) => [candidate.id, position]));

  const groups: AlertGroup[] = [];
  alerts.forEach((alert, index) => {
    if (find(parent, index) !== index) return;
    const members: GroupedMember[] = [{ alertId: alert.id, joinedWith: null, reason: null }];
    const seen = new Set([index]);
    const queue = [index];
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head]!;
      for (const { other, label } of neighbours.get(current) ?? []) {
        if (seen.has(other)) continue;
        seen.add(other);
        queue.push(other);
        members.push({
          alertId: alerts[other]!.id,
          joinedWith: alerts[current]!.id,
          reason: `joined because ${label}`,
        });
      }
    }
    members.sort((a, b) => order.get(a.alertId)! - order.get(b.alertId)!);
    groups.push({ firstAlertId: alert.id, members });
  });
  return groups;
}

/** The highest severity among the members. */
export function highestSeverity(severities: readonly Severity[]): Severity {
  let highest = 0;
  for (const severity of severities) highest = Math.max(highest, SEVERITIES.indexOf(severity));
  return SEVERITIES[highest]!;
}

/** A title from the incident's entities: its pods first, then its identities. */
export function titleIncident(alerts: readonly GroupableAlert[]): string {
  const pods = new Set<string>();
  const users = new Set<string>();
  const ips = new Set<string>();
  for (const alert of [...alerts].sort(compareAlerts)) {
    const namespace = podNamespaceOf(alert);
    if (alert.podName && namespace) pods.add(`${namespace}/${alert.podName}`);
    if (alert.username) users.add(alert.username);
    for (const ip of alert.sourceIps) ips.add(ip);
  }
  const parts = [...[...pods].slice(0, 2).map((pod) => `pod ${pod}`), ...[...users].slice(0, pods.size > 0 ? 1 : 2)];
  if (parts.length === 0) parts.push(...[...ips].slice(0, 1));
  const more = pods.size + users.size - parts.length;
  const title = parts.join(' · ') || 'unattributed alerts';
  return more > 0 ? `${title} (+${more})` : title;
}
