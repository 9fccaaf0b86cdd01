// Where a destination may point: http(s) only, and never at link-local or cloud metadata addresses
// (169.254.0.0/16, fe80::/10, fd00:ec2::254) unless VIGIL_NOTIFY_ALLOW_PRIVATE says so. Checked when
// saved and again on every resolved address at send time (a name can change what it points at).
import { isIP } from 'node:net';

export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  const v4 = mapped ?? (isIP(bare) === 4 ? bare : null);
  if (v4) return v4.startsWith('169.254.');
  if (isIP(bare) !== 6) return false;
  const groups = expandIpv6(bare);
  if (!groups) return false;
  if ((groups[0]! & 0xffc0) === 0xfe80) return true;
  return groups.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':');
}

function expandIpv6(address: string): number[] | null {
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (address.includes('::') === false && left.length !== 8) return null;
  const missing = 8 - left.length - right.length;
  if (missing < 0) return null;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => parseInt(group, 16));
  return groups.some((group) => Number.isNaN(group)) ? null : groups;
}

/** Why a destination URL is refused, or null when it may be used. */
export function refuseDestinationUrl(text: string, allowPrivate: boolean): string | null {
  if (!URL.canParse(text)) return 'not a URL';
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http:// and https:// URLs can be used';
  if (url.username || url.password) return 'a URL cannot carry a user name or password; use headers';
  if (!allowPrivate && isBlockedAddress(url.hostname))
    return 'link-local and cloud metadata addresses are refused (set VIGIL_NOTIFY_ALLOW_PRIVATE=true to allow them)';
  return null;
}
