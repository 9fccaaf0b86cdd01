// POST /api/v1/audit-webhook?cluster=NAME – kube-apiserver audit webhook backend (EventList bodies)
import { receiveAuditWebhook } from '@/lib/ingest/ingest-http';

export async function POST(request: Request) {
  return receiveAuditWebhook(request, new URL(request.url).searchParams.get('cluster'));
}
