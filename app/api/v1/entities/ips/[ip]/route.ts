// GET /api/v1/entities/ips/:ip?from&to – what came from a source IP
import { respondWithEntityProfile } from '@/lib/entities/entity-route';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ ip: string }> }) {
  const { ip } = await params;
  return respondWithEntityProfile(request, { kind: 'ip', ip });
}
