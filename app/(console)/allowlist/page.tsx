import { connection } from 'next/server';
import { PageHeader } from '@/components/page-header';
import { listAllowlist } from '@/lib/allowlist/list-allowlist';
import { allowlistFields } from '@/lib/allowlist/schemas';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { listRules } from '@/lib/rules/list-rules';
import { AllowlistTable } from './client';
import './allowlist.css';

export const metadata = { title: 'Allowlist' };

export default async function AllowlistPage() {
  const actor = await requirePageActor();
  await connection();
  const [entries, rules] = await Promise.all([listAllowlist(getPool()), listRules(getDb())]);
  return (
    <>
      <PageHeader
        title="Allowlist"
        description="Known-good activity no detection counts toward an alert. Entries are made by closing an alert as a false positive."
      />
      <p className="muted small allowlist-meaning">
        <strong>Events skipped</strong> (hits) counts the audit events detection left out because an entry matched them;{' '}
        <strong>Alerts closed</strong> counts the alerts an entry closed as false positive when it was saved.
      </p>
      <section className="panel" aria-label="Allowlist entries">
        {entries.length === 0 ? (
          <p className="muted">
            No entries yet. Open an alert and choose “Close as false positive…” to allowlist what it saw.
          </p>
        ) : (
          <AllowlistTable
            entries={entries}
            rules={rules.map((rule) => ({ id: rule.id, name: rule.name }))}
            fields={[...allowlistFields]}
            canEdit={roleAllows(actor.role, 'triage')}
          />
        )}
      </section>
    </>
  );
}
