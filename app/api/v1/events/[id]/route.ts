// GET /api/v1/events/:id?kind=audit|file – one event, its original document and the events around it
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getPool } from '@/lib/db/pool';
import { readEvent } from '@/lib/events/read-event';
import { eventIdSchema, eventKinds } from '@/lib/events/schemas';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { jsonError } from '@/lib/http/responses';

export const dynamic = 'force-dynamic';

const lookupSchema = z.object({ id: eventIdSchema, kind: z.enum(eventKinds).default('audit') });

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  const lookup = lookupSchema.safeParse({
    id: (await params).id,
    kind: new URL(request.url).searchParams.get('kind') ?? undefined,
  });
  if (!lookup.success) return jsonError(400, formatFirstIssue(lookup.error));
  const detail = await readEvent(getPool(), lookup.data.kind, lookup.data.id);
  if (!detail) return jsonError(404, `no ${lookup.data.kind} event ${lookup.data.id}`);
  return NextResponse.json(detail);
}
