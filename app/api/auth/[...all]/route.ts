// GET|POST /api/auth/* – better-auth's sign-in, sign-out and session endpoints; every other
// endpoint the library offers stays closed (accounts are managed by admins in Vigil's own pages).
import { getAuth } from '@/lib/auth/auth';
import { jsonError } from '../../_lib/responses';

export const dynamic = 'force-dynamic';

const MAX_BODY_BYTES = 16 * 1024;
const OPEN = new Set(['POST /api/auth/sign-in/email', 'POST /api/auth/sign-out', 'GET /api/auth/get-session']);

async function handle(request: Request) {
  if (!OPEN.has(`${request.method} ${new URL(request.url).pathname}`)) return jsonError(404, 'not found');
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES)
    return jsonError(413, 'request body too large');
  return getAuth().handler(request);
}

export const GET = handle;
export const POST = handle;
