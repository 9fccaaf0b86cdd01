import { describe, expect, it } from 'vitest';
import { parseTrustedProxies, resolveClientAddress } from '../../../lib/net/client-address';

const none = parseTrustedProxies('');
const proxies = parseTrustedProxies('10.0.0.0/8, 192.0.2.7, fd00::/8');

describe('resolveClientAddress', () => {
  it('takes the socket address, and ignores X-Forwarded-For, when no proxy is trusted', () => {
    expect(resolveClientAddress('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
    expect(resolveClientAddress('::ffff:203.0.113.9', undefined, none)).toBe('203.0.113.9');
    expect(resolveClientAddress(undefined, '198.51.100.1', none)).toBeNull();
  });

  it('ignores X-Forwarded-For from a socket that is not a trusted proxy', () => {
    expect(resolveClientAddress('203.0.113.9', '10.1.1.1, 198.51.100.1', proxies)).toBe('203.0.113.9');
  });

  it('reads X-Forwarded-For from the right past trusted hops: what the client wrote on the left is not believed', () => {
    expect(resolveClientAddress('10.0.0.5', '1.2.3.4, 198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(resolveClientAddress('10.0.0.5', '1.2.3.4, 198.51.100.1, 192.0.2.7', proxies)).toBe('198.51.100.1');
    expect(resolveClientAddress('fd00::1', ['198.51.100.2', '10.9.9.9'], proxies)).toBe('198.51.100.2');
  });

  it('falls back to the proxy itself when the header is missing or holds no address', () => {
    expect(resolveClientAddress('10.0.0.5', undefined, proxies)).toBe('10.0.0.5');
    expect(resolveClientAddress('10.0.0.5', 'unknown, <script>', proxies)).toBe('10.0.0.5');
    expect(resolveClientAddress('10.0.0.5', '10.0.0.6, 10.0.0.7', proxies)).toBe('10.0.0.6');
  });
});

describe('parseTrustedProxies', () => {
  it('names the entry that is not an address or CIDR', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, proxy.internal')).toThrow(
      /"proxy.internal" is not an IP address or CIDR/,
    );
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/not an IP address or CIDR/);
  });
});
