// GET /api/health – database, migrations and worker heartbeat; 200 when all are fine, else 503
import { NextResponse } from 'next/server';
import { getDb } from '@/lib/db/client';
import { checkHealth } from '@/lib/health/check-health';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    const report = await checkHealth(getDb());
    return NextResponse.json(report, { status: report.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return NextResponse.json(
      { ok: false, database: { ok: false, error: message }, migrations: { ok: false }, worker: { ok: false } },
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
}
