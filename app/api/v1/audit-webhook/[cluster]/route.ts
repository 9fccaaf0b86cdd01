// POST /api/v1/audit-webhook/:cluster – the same webhook with the cluster in the path, for kubeconfigs
import { receiveAuditWebhook } from '@/lib/ingest/ingest-http';

export async function POST(request: Request, context: { params: Promise<{ cluster: string }> }) {
  return receiveAuditWebhook(request, (await context.params).cluster);
}
