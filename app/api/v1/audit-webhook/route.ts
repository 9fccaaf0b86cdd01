// POST /api/v1/audit-webhook?cluster=NAME – kube-apiserver audit webhook backend (EventList bodies)
import { auditWebhookRoute } from '../../_lib/ingest-http';

export const POST = auditWebhookRoute((request) => new URL(request.url).searchParams.get('cluster'));
