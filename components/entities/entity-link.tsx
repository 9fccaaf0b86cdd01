import Link from 'next/link';
import { ipHref, podHref, serviceAccountNamespace, userHref } from '@/lib/entities/entity-links';

type Range = { from?: string; to?: string };

export function UserLink({ name, range }: { name: string; range?: Range }) {
  return (
    <Link href={userHref(name, range)} className="pivot clip-text" title={`${name}: everything this user did`}>
      {name}
    </Link>
  );
}

export function IpLink({ ip, range }: { ip: string; range?: Range }) {
  return (
    <Link href={ipHref(ip, range)} className="pivot clip-text" title={`${ip}: everything from this source IP`}>
      {ip}
    </Link>
  );
}

/** A pod's page needs its namespace; without one the name alone is shown. */
export function PodLink({
  name,
  namespace,
  username,
  range,
}: {
  name: string;
  namespace?: string | null;
  /** The requesting service account, whose namespace is the pod's. */
  username?: string | null;
  range?: Range;
}) {
  const podNamespace = namespace ?? serviceAccountNamespace(username);
  if (!podNamespace)
    return (
      <span className="clip-text" title={name}>
        {name}
      </span>
    );
  return (
    <Link
      href={podHref(podNamespace, name, range)}
      className="pivot clip-text"
      title={`${podNamespace}/${name}: everything this pod did`}
    >
      {name}
    </Link>
  );
}
