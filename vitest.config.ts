import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    // The tests run the server's modules: `server-only` resolves to its server build, as in Next.
    alias: { '@': root, 'server-only': path.join(root, 'node_modules/server-only/empty.js') },
  },
  test: {
    reporters: ['default', path.join(root, 'tests/support/summary-reporter.ts')],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/integration-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/support/browser-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          // One Chromium and one app server at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
