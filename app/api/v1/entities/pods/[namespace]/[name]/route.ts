// GET /api/v1/entities/pods/:namespace/:name?from&to – what a pod's token did, and its file activity
import { respondWithEntityProfile } from '@/lib/entities/entity-route';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await params;
  return respondWithEntityProfile(request, { kind: 'pod', namespace, name });
}
