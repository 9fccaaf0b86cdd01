// The SQL twin of match-allowlist.ts, for counting what an entry would match over stored
// events (the impact preview). Same semantics: exact, prefix, glob, CIDR; never substring.
import type { AllowlistCondition } from '../detections/types';
import type { AllowlistField } from './schemas';

const COLUMNS: Record<AllowlistField, { column: string; array: boolean }> = {
  username: { column: 'username', array: false },
  sourceIp: { column: 'source_ip', array: false },
  sourceIps: { column: 'source_ips', array: true },
  userAgent: { column: 'user_agent', array: false },
  namespace: { column: 'namespace', array: false },
  name: { column: 'name', array: false },
  podName: { column: 'pod_name', array: false },
  nodeName: { column: 'node_name', array: false },
  groups: { column: 'groups', array: true },
  verb: { column: 'verb', array: false },
  resource: { column: 'resource', array: false },
  cluster: { column: 'cluster', array: false },
};

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
    const target = COLUMNS[condition.field as AllowlistField];
    if (!target) throw new Error(`unknown allowlist field ${condition.field}`);
    const column = `${alias}.${target.column}`;
    return target.array
      ? `EXISTS (SELECT 1 FROM unnest(${column}) AS v WHERE ${valueTest('v', condition, param)})`
      : `coalesce(${valueTest(column, condition, param)}, false)`;
  });
  return tests.length ? `(${tests.join(' AND ')})` : 'false';
}
