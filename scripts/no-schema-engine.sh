#!/bin/sh
# Stand-in for Prisma's schema-engine binary, which this project never downloads.
# Migrations go through `npm run db:migrate` and `npm run db:diff -- <name>` instead.
echo "vigil: Prisma's schema engine is not installed here; use 'npm run db:migrate' or 'npm run db:diff -- <name>'." >&2
exit 1
