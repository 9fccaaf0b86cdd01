// GET /api/v1/entities/users/:name?from&to – what a user or service account did
import { respondWithEntityProfile } from '@/lib/entities/entity-route';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return respondWithEntityProfile(request, { kind: 'user', name });
}
