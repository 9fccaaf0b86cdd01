// Allowlist matching: exact, prefix, CIDR, glob or one-of per field, all conditions
// of an entry joined by AND. Never substring: look-alike names must not slip through.
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { AuditEvent } from '../events/audit-event-columns';
import type { AllowlistCondition, AllowlistField } from './schemas';

/** What the matcher reads of an event: the fields conditions may name. */
export type AllowlistedEvent = Pick<AuditEvent, AllowlistField>;

export type AllowlistEntryRule = {
  id: string;
  /** null: every rule. */
  ruleId: string | null;
  conditions: AllowlistCondition[];
};

type Matcher = (value: string) => boolean;
export type CompiledEntry = AllowlistEntryRule & { matchers: { field: AllowlistField; test: Matcher }[] };

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  // `s`: a wildcard spans newlines too, and `u`: `?` is one character even outside the BMP (an emoji),
  // as SQL's LIKE does in the impact preview.
  return new RegExp(`^${escaped}$`, 'su');
}

function cidrMatcher(cidrs: string[]): Matcher {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', bits] = cidr.split('/');
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
    if (!family) continue;
    const prefix = bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits);
    list.addSubnet(address, prefix, family);
  }
  return (value) => (isIPv4(value) ? list.check(value, 'ipv4') : isIPv6(value) ? list.check(value, 'ipv6') : false);
}

function compileCondition(condition: AllowlistCondition): Matcher {
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  switch (condition.op) {
    case 'exact':
      return (value) => values.includes(value);
    case 'oneOf':
      return (value) => values.includes(value);
    case 'prefix':
      return (value) => values.some((prefix) => value.startsWith(prefix));
    case 'glob': {
      const patterns = values.map(globToRegExp);
      return (value) => patterns.some((pattern) => pattern.test(value));
    }
    case 'cidr':
      return cidrMatcher(values);
  }
}

export function compileAllowlist(entries: AllowlistEntryRule[]): CompiledEntry[] {
  return entries.map((entry) => ({
    ...entry,
    matchers: entry.conditions.map((condition) => ({ field: condition.field, test: compileCondition(condition) })),
  }));
}

function fieldValues(event: AllowlistedEvent, field: AllowlistField): readonly string[] {
  const value = event[field];
  if (Array.isArray(value)) return value;
  return value === null || value === undefined ? [] : [value];
}

/** The first entry (of those scoped to this rule or to all) that matches the event, if any. */
export function findAllowlistMatch(
  entries: readonly CompiledEntry[],
  ruleId: string,
  event: AllowlistedEvent,
): CompiledEntry | undefined {
  return entries.find(
    (entry) =>
      (entry.ruleId === null || entry.ruleId === ruleId) &&
      entry.matchers.length > 0 &&
      entry.matchers.every((matcher) => fieldValues(event, matcher.field).some(matcher.test)),
  );
}
