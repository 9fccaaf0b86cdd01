// POST /api/v1/audit-webhook/:cluster – the same webhook with the cluster in the path, for kubeconfigs
import { auditWebhookRoute } from '../../../_lib/ingest-http';

export const POST = auditWebhookRoute((_request, params) => params.cluster ?? null);
