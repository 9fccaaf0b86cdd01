// The SQL twin of match-allowlist.ts, for counting what an entry would match over stored
// events (the impact preview). Same semantics: exact, prefix, glob, CIDR; never substring.
import { codecs } from '../db/table-columns';
import { auditEvents } from '../events/audit-event-columns';
import type { AllowlistCondition } from './schemas';

/** `*` any run of characters, `?` one character; LIKE's own wildcards are escaped. */
export function globToLike(glob: string) {
  return glob
    .replace(/[\\%_]/g, '\\$&')
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

function valueTest(value: string, condition: AllowlistCondition, param: (value: unknown) => string) {
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  switch (condition.op) {
    case 'exact':
    case 'oneOf':
      return `${value} = ANY(${param(values)}::text[])`;
    case 'prefix':
      return `EXISTS (SELECT 1 FROM unnest(${param(values)}::text[]) AS p WHERE starts_with(${value}, p))`;
    case 'glob':
      return `${value} LIKE ANY(${param(values.map(globToLike))}::text[])`;
    case 'cidr':
      return `vigil_try_inet(${value}) <<= ANY(${param(values)}::inet[])`;
  }
}

/** A boolean SQL expression over audit_events aliased `alias`: true when every condition holds. */
export function buildConditionsSql(conditions: AllowlistCondition[], alias: string, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const tests = conditions.map((condition) => {
    const target = auditEvents.columns[condition.field];
    if (!target) throw new Error(`unknown allowlist field ${condition.field}`);
    const column = `${alias}.${target.column}`;
    return target.codec === codecs.textArray
      ? `EXISTS (SELECT 1 FROM unnest(${column}) AS v WHERE ${valueTest('v', condition, param)})`
      : `coalesce(${valueTest(column, condition, param)}, false)`;
  });
  return tests.length ? `(${tests.join(' AND ')})` : 'false';
}
