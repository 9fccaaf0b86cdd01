import type { AllowlistCondition, AllowlistOperator } from '@/lib/allowlist/schemas';

export const OPERATORS: { op: AllowlistOperator; label: string }[] = [
  { op: 'exact', label: 'is' },
  { op: 'oneOf', label: 'is one of' },
  { op: 'prefix', label: 'starts with' },
  { op: 'glob', label: 'matches glob' },
  { op: 'cidr', label: 'in CIDR' },
];

export const opLabel = (op: AllowlistOperator) => OPERATORS.find((entry) => entry.op === op)?.label ?? op;

/** A condition's value as one line: lists comma-separated. */
export function valueText(value: AllowlistCondition['value']) {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A comma-separated field as its values, trimmed, blanks dropped. */
export function splitList(value: string) {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
