import { connection } from 'next/server';
import { RuleCatalogTable } from '@/components/data-table/rules/rule-catalog-table';
import { PageHeader } from '@/components/page-header';
import { MarkdownGuide } from '@/components/markdown-guide';
import { getDb } from '@/lib/db/client';
import { defaultPreviewRange, listRuleHealth } from '@/lib/rules/list-rule-health';
import { listRules } from '@/lib/rules/list-rules';
import { listRuleChanges } from '@/lib/rules/update-rule-settings';
import { getPool } from '@/lib/db/pool';
import { RuleControls } from './rule-controls';
import { readRuleGuide } from '@/lib/rules/read-rule-guide';
import { formatUtc } from '@/lib/format-time';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import './rules.css';

export const metadata = { title: 'Rules' };

export default async function RulesPage() {
  const actor = await requirePageActor();
  await connection();
  const db = getDb();
  const [rules, health] = await Promise.all([listRules(db), listRuleHealth(db)]);
  const guides = new Map(
    await Promise.all(rules.map(async (rule) => [rule.id, await readRuleGuide(rule.id)] as const)),
  );
  const changes = new Map(
    await Promise.all(rules.map(async (rule) => [rule.id, await listRuleChanges(db, rule.id, 5)] as const)),
  );
  const defaultRange = await defaultPreviewRange(getPool());
  return (
    <>
      <PageHeader title="Rules" description="The detections Vigil runs over your audit events." />
      <section className="panel" aria-label="Rule catalog">
        <RuleCatalogTable
          rows={rules.map((rule) => ({ ...rule, health: health.find((entry) => entry.ruleId === rule.id) ?? null }))}
        />
        {rules.length === 0 ? (
          <p className="muted">
            No rules in the database yet: run <code>npx vigil seed</code>.
          </p>
        ) : null}
      </section>
      <section className="panel" aria-label="Investigation guides">
        <h2>Investigation guides</h2>
        {rules.map((rule) => {
          const guide = guides.get(rule.id);
          return (
            <details key={rule.id} className="guide-details">
              <summary>{rule.name}</summary>
              {guide ? <MarkdownGuide source={guide} /> : <p className="muted">No guide shipped for this rule.</p>}
            </details>
          );
        })}
      </section>
      <section className="panel" aria-label="Tune and preview">
        <h2>Tune and preview</h2>
        <p className="muted small">
          Parameters are validated by each rule. Preview runs one rule over a time range of stored events and writes
          nothing (also <code>POST /api/v1/rules/:id/preview</code> and{' '}
          <code>npx vigil detect --rule ID --from T --to T --dry-run</code>).
        </p>
        {rules.map((rule) => (
          <div key={rule.id} className="rule-block">
            <h3>{rule.name}</h3>
            <RuleControls
              ruleId={rule.id}
              enabled={rule.enabled}
              parameters={rule.parameters}
              defaultRange={defaultRange}
              canTune={roleAllows(actor.role, 'admin')}
              canPreview={roleAllows(actor.role, 'triage')}
            />
            {(changes.get(rule.id) ?? []).length > 0 ? (
              <ul className="change-log" aria-label={`Changes to ${rule.id}`}>
                {(changes.get(rule.id) ?? []).map((change) => (
                  <li key={String(change.id)} className="small">
                    {formatUtc(change.createdAt)} · {change.actorName} changed <code>{change.field}</code> from{' '}
                    <code>{JSON.stringify(change.fromValue)}</code> to <code>{JSON.stringify(change.toValue)}</code>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ))}
      </section>
    </>
  );
}
