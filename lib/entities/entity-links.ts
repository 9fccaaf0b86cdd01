// Where an entity lives in the console. Pure and client-safe: tables, charts and pages all link
// users, source IPs and pods through these.

export { isServiceAccount, serviceAccountNamespace } from '../vocabulary/service-account';

type Range = { from?: string | Date; to?: string | Date } | undefined;

function withRange(path: string, range: Range): string {
  if (!range?.from && !range?.to) return path;
  const params = new URLSearchParams();
  const iso = (time: string | Date) => (typeof time === 'string' ? time : time.toISOString());
  if (range.from) params.set('from', iso(range.from));
  if (range.to) params.set('to', iso(range.to));
  return `${path}?${params}`;
}

export function userHref(name: string, range?: Range): string {
  return withRange(`/entities/users/${encodeURIComponent(name)}`, range);
}

export function ipHref(ip: string, range?: Range): string {
  return withRange(`/entities/ips/${encodeURIComponent(ip)}`, range);
}

export function podHref(namespace: string, name: string, range?: Range): string {
  return withRange(`/entities/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`, range);
}
