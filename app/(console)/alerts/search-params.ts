import { alertGroupFields, type AlertGroupField } from '@/lib/alerts/schemas';
import { readAll } from '@/lib/search-params';

/** A page's search params as Next hands them over. */
export type PageParams = Record<string, string | string[] | undefined>;

/** The queue's grouping (`?group=rule`) and the groups opened in it (`&expand=…`, ten at most). */
export function readGroupParams(params: PageParams): { group?: AlertGroupField; expand: string[] } {
  const group = typeof params.group === 'string' ? params.group : undefined;
  return {
    group: (alertGroupFields as readonly string[]).includes(group ?? '') ? (group as AlertGroupField) : undefined,
    expand: readAll(params, 'expand').slice(0, 10),
  };
}
