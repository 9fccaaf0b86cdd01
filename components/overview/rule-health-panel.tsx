import Link from 'next/link';
import { RuleHealthTable } from '@/components/data-table/rules/rule-health-table';
import type { RuleHealth } from '@/lib/rules/list-rule-health';
import type { RuleSummary } from '@/lib/rules/list-rules';

/** Every rule's latest run, whatever the overview's range. */
export function RuleHealthPanel({ rules, health }: { rules: RuleSummary[]; health: RuleHealth[] }) {
  const catalog = new Map(rules.map((rule) => [rule.id, { name: rule.name, enabled: rule.enabled }]));
  return (
    <section className="panel" aria-label="Rule health">
      <h2>Rule health</h2>
      {health.length === 0 ? (
        <p className="muted">
          No rules in the database yet: run <code>npx vigil seed</code>.
        </p>
      ) : (
        <RuleHealthTable rows={health.map((entry) => ({ ...entry, rule: catalog.get(entry.ruleId) ?? null }))} />
      )}
      <p className="muted small overview-note">
        Every rule&apos;s latest run, whatever the range. Tune rules and preview them on the{' '}
        <Link href="/rules">Rules page</Link>.
      </p>
    </section>
  );
}
