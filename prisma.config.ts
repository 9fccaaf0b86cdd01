import { defineConfig } from 'prisma/config';

// `prisma generate` needs a URL even though it never connects; the app itself
// resolves its database in lib/db/database-url.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://vigil@127.0.0.1:5432/vigil' },
});
