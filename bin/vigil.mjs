#!/usr/bin/env node
// The `vigil` command line. TypeScript sources under scripts/ run through tsx.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `vigil needs Node.js 22.18 or newer (Node 24 LTS recommended); this is ${process.version}. See README, "Quick start".`,
  );
  process.exit(1);
}
await import('./register.mjs');
await import('../scripts/vigil.ts');
