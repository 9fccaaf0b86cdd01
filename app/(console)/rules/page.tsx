import { connection } from 'next/server';
import { ComingNext } from '@/components/coming-next';
import { PageHeader } from '@/components/page-header';
import { MarkdownGuide } from '@/components/markdown-guide';
import { getDb } from '@/lib/db/client';
import { listRuleHealth } from '@/lib/rules/list-rule-health';
import { listRules } from '@/lib/rules/list-rules';
import { readRuleGuide } from '@/lib/rules/read-rule-guide';

export const metadata = { title: 'Rules' };

export default async function RulesPage() {
  await connection();
  const db = getDb();
  const [rules, health] = await Promise.all([listRules(db), listRuleHealth(db)]);
  const guides = new Map(
    await Promise.all(rules.map(async (rule) => [rule.id, await readRuleGuide(rule.id)] as const)),
  );
  return (
    <>
      <PageHeader title="Rules" description="The detections Vigil runs over your audit events." />
      <section className="panel" aria-label="Rule catalog">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Severity</th>
              <th scope="col">Risk</th>
              <th scope="col">MITRE ATT&amp;CK</th>
              <th scope="col">Parameters</th>
              <th scope="col">Alerts</th>
              <th scope="col">Last run</th>
              <th scope="col">Enabled</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id}>
                <td>
                  <strong>{rule.name}</strong>
                  <div className="muted small">{rule.description}</div>
                </td>
                <td>
                  <span className={`badge severity-${rule.severity}`}>{rule.severity}</span>
                </td>
                <td>{rule.riskScore}</td>
                <td className="nowrap">
                  {rule.mitre.map((entry) => {
                    const technique = entry.subtechnique ?? entry.technique;
                    return (
                      <div key={`${entry.tactic.id}-${technique.id}`} title={`${entry.tactic.name}: ${technique.name}`}>
                        <code>{technique.id}</code> <span className="muted small">{technique.name}</span>
                      </div>
                    );
                  })}
                </td>
                <td className="nowrap">
                  {Object.entries(rule.parameters).map(([name, value]) => (
                    <div key={name}>
                      <span className="muted small">{name}</span> <code>{String(value)}</code>
                    </div>
                  ))}
                </td>
                <td className="nowrap">
                  {(() => {
                    const counts = health.find((entry) => entry.ruleId === rule.id);
                    return counts ? `${counts.openAlerts} open / ${counts.totalAlerts}` : '—';
                  })()}
                </td>
                <td className="nowrap small">
                  {(() => {
                    const run = health.find((entry) => entry.ruleId === rule.id)?.lastRun;
                    return run ? `${run.startedAt.slice(0, 19).replace('T', ' ')} UTC` : 'not yet';
                  })()}
                </td>
                <td>{rule.enabled ? 'Yes' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
      <ComingNext
        items={[
          'The enabled switch and validated parameter tuning, with every change recorded (who, when, from, to)',
          'Preview and backtest of a rule over a chosen time range without writing alerts (today: npx vigil detect --rule ID --from T --to T --dry-run)',
        ]}
      />
    </>
  );
}
