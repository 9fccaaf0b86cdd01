// The three entity routes differ only in how the path names the entity.
import { getPool } from '@/lib/db/pool';
import { readEntityProfile } from '@/lib/entities/read-entity';
import { entitySchema, type Entity } from '@/lib/entities/schemas';
import { parseTimeRangeParams } from '@/lib/time-range';
import { route } from '../../../_lib/route';

type PathParams = Record<string, string>;

export function entityRoute(toEntity: (params: PathParams) => Partial<Entity>) {
  const params = { safeParse: (input: unknown) => entitySchema.safeParse(toEntity(input as PathParams)) };
  return route({ access: { permission: 'read' }, params, query: parseTimeRangeParams }, ({ params, query }) =>
    readEntityProfile(getPool(), params, query),
  );
}
