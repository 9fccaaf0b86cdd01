import { AuditEvidenceTable, FileEvidenceTable } from '@/components/data-table/alerts/evidence-tables';
import { neighbourLinks, pageCount, Pager } from '@/components/data-table/pager';
import type { EvidencePage } from '@/lib/alerts/read-alert';

/** The alert's evidence: its audit requests a page at a time, and any container file events. */
export function EvidencePanel({ alertId, evidence }: { alertId: string; evidence: EvidencePage }) {
  const pages = pageCount(evidence.total, evidence.pageSize);
  return (
    <section className="panel" aria-label="Evidence">
      <h2>
        Evidence <span className="muted small">{evidence.total} audit event(s), in time order</span>
      </h2>
      <AuditEvidenceTable rows={evidence.events} />
      {pages > 1 ? (
        <Pager
          label="Evidence pages"
          {...neighbourLinks(evidence.page, pages, (page) => `/alerts/${alertId}?evidencePage=${page}`, {
            previous: '← Earlier',
            next: 'Later →',
          })}
          position={
            <>
              Page {evidence.page} of {pages}
            </>
          }
        />
      ) : null}
      {evidence.fileEvents.length ? (
        <>
          <h3>Container file events</h3>
          <FileEvidenceTable rows={evidence.fileEvents} />
        </>
      ) : null}
    </section>
  );
}
