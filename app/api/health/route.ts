// GET /api/health – database, migrations and worker heartbeat; 200 when all are fine, else 503.
// Open to load balancers, so anonymous callers see only the verdicts; the details need read access.
import { NextResponse } from 'next/server';
import { authorizeRequest } from '../_lib/authorize-request';
import { getDb } from '@/lib/db/client';
import { checkHealth, type HealthReport } from '@/lib/health/check-health';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  let report: HealthReport;
  try {
    report = await checkHealth(getDb());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    report = { ok: false, database: { ok: false, error: message }, migrations: { ok: false }, worker: { ok: false } };
  }
  const detailed = report.database.ok && (await authorizeRequest(request, { permission: 'read' })).ok;
  const body = detailed
    ? report
    : {
        ok: report.ok,
        database: { ok: report.database.ok },
        migrations: { ok: report.migrations.ok },
        worker: { ok: report.worker.ok },
      };
  return NextResponse.json(body, { status: report.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
