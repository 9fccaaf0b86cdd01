// The three entity routes differ only in how the path names the entity.
import { getPool } from '@/lib/db/pool';
import { readEntityProfile } from '@/lib/entities/read-entity';
import { entitySchema, parseEntityViewParams, type Entity } from '@/lib/entities/schemas';
import { route } from '../../../_lib/route';

type PathParams = Record<string, string>;

export function entityRoute(toEntity: (params: PathParams) => Partial<Entity>) {
  const params = { safeParse: (input: unknown) => entitySchema.safeParse(toEntity(input as PathParams)) };
  return route({ access: { permission: 'read' }, params, query: parseEntityViewParams }, ({ params, query }) =>
    readEntityProfile(getPool(), params, query),
  );
}
