import { OutcomeBreakdownChart } from '@/components/charts/outcome-breakdown-chart';
import type { AlertDetail, OutcomeBreakdown } from '@/lib/alerts/read-alert';

/** The rule's ATT&CK techniques, and how the alert's requests turned out. */
export function MitrePanel({ mitre, outcomes }: { mitre: AlertDetail['mitre']; outcomes: OutcomeBreakdown }) {
  return (
    <section className="panel" aria-label="MITRE ATT&CK">
      <h2>MITRE ATT&amp;CK</h2>
      <ul className="plain-list">
        {mitre.map((entry) => {
          const technique = entry.subtechnique ?? entry.technique;
          return (
            <li key={`${entry.tactic.id}-${technique.id}`}>
              <span className="muted small">
                {entry.tactic.name} ({entry.tactic.id})
              </span>
              <div>
                <code>{technique.id}</code> {technique.name}
                {entry.subtechnique ? (
                  <span className="muted small">
                    {' '}
                    — {entry.technique.id} {entry.technique.name}
                  </span>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      <h2 className="spaced">Outcomes</h2>
      <OutcomeBreakdownChart breakdown={outcomes} />
    </section>
  );
}
