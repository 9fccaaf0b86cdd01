// Which address a request came from. The socket's, unless it is a proxy the operator trusts
// (VIGIL_TRUSTED_PROXIES); then X-Forwarded-For is read from the right, past every trusted hop, since
// everything left of the first untrusted hop is whatever the client chose to write.
import { BlockList, isIP } from 'node:net';

/** Set by Vigil's web server on every request (any copy the client sent is overwritten). */
export const CLIENT_ADDRESS_HEADER = 'x-vigil-client-ip';

export type TrustedProxies = { cidrs: string[]; contains(address: string): boolean };

/** `10.0.0.0/8, 192.0.2.7, fd00::/8` → a matcher; throws naming the entry that is neither an address nor a CIDR. */
export function parseTrustedProxies(text: string): TrustedProxies {
  const list = new BlockList();
  const cidrs = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const cidr of cidrs) {
    const [address = '', bits] = cidr.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
      throw new Error(`"${cidr}" is not an IP address or CIDR`);
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return {
    cidrs,
    contains(address) {
      const plain = normalizeAddress(address);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) → `192.0.2.1`. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string | null {
  if (!socketAddress) return null;
  let client = normalizeAddress(socketAddress);
  if (!trusted.contains(client)) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => normalizeAddress(hop.trim()))
    .filter((hop) => isIP(hop) !== 0);
  for (let index = hops.length - 1; index >= 0; index--) {
    client = hops[index]!;
    if (!trusted.contains(client)) break;
  }
  return client;
}
