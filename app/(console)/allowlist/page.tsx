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
import { CreateEntryForm } from './create-form';
import './allowlist.css';

export const metadata = { title: 'Allowlist' };

export default async function AllowlistPage() {
  const actor = await requirePageActor();
  await connection();
  const [entries, rules] = await Promise.all([listAllowlist(getPool()), listRules(getDb())]);
  const choices = { rules: rules.map((rule) => ({ id: rule.id, name: rule.name })), fields: [...allowlistFields] };
  const canEdit = roleAllows(actor.role, 'triage');
  return (
    <>
      <PageHeader
        title="Allowlist"
        description="Known-good activity no detection counts toward an alert. Entries are made by closing an alert as a false positive, or added here."
      />
      <p className="muted small allowlist-meaning">
        <strong>Events skipped</strong> (hits) counts the audit events detection left out because an entry matched them;{' '}
        <strong>Alerts closed</strong> counts the alerts an entry closed as false positive when it was saved.
      </p>
      {canEdit ? (
        <section className="panel" aria-label="Add an allowlist entry">
          <CreateEntryForm {...choices} />
        </section>
      ) : null}
      <section className="panel" aria-label="Allowlist entries">
        {entries.length === 0 ? (
          <p className="muted">
            No entries yet. Open an alert and choose “Close as false positive…” to allowlist what it saw.
          </p>
        ) : (
          <AllowlistTable entries={entries} {...choices} canEdit={canEdit} />
        )}
      </section>
    </>
  );
}
