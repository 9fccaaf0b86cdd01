import { connection } from 'next/server';
import { ComingNext } from '@/components/coming-next';
import { PageHeader } from '@/components/page-header';
import { getDb } from '@/lib/db/client';
import { listRules } from '@/lib/rules/list-rules';

export const metadata = { title: 'Rules' };

export default async function RulesPage() {
  await connection();
  const rules = await listRules(getDb());
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
      <ComingNext
        items={[
          'The enabled switch and validated parameter tuning, with every change recorded (who, when, from, to)',
          'Last run and alert counts per rule, and each rule’s investigation guide',
          'Preview and backtest of a rule over a chosen time range without writing alerts',
        ]}
      />
    </>
  );
}
