// The three entity routes differ only in how the path names the entity.
import { NextResponse } from 'next/server';
import { authorizeRequest } from '../auth/authorize-request';
import { getPool } from '../db/pool';
import { formatFirstIssue } from '../format-first-issue';
import { jsonError } from '../http/responses';
import { parseTimeRangeParams } from '../time-range';
import { readEntityProfile } from './read-entity';
import { entitySchema } from './schemas';

export async function respondWithEntityProfile(request: Request, candidate: unknown): Promise<Response> {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  const entity = entitySchema.safeParse(candidate);
  if (!entity.success) return jsonError(400, formatFirstIssue(entity.error));
  const range = parseTimeRangeParams(new URL(request.url).searchParams);
  if (!range.success) return jsonError(400, formatFirstIssue(range.error));
  return NextResponse.json(await readEntityProfile(getPool(), entity.data, range.data));
}
