import type { AlertGroupField, AlertStatus, CloseReason } from '@/lib/alerts/schemas';
import './labels.css';

export const closeReasonLabels: Record<CloseReason, string> = {
  true_positive: 'True positive',
  benign_positive: 'Benign positive',
  false_positive: 'False positive',
  duplicate: 'Duplicate',
  other: 'Other',
};

export const statusLabels: Record<AlertStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  closed: 'Closed',
};

export const groupLabels: Record<AlertGroupField, string> = {
  rule: 'Rule',
  cluster: 'Cluster',
  user: 'User',
  sourceIp: 'Source IP',
  pod: 'Pod',
};

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge severity-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status, closeReason }: { status: AlertStatus; closeReason: CloseReason | null }) {
  return (
    <span className={`alert-status alert-status-${status}`}>
      {statusLabels[status]}
      {status === 'closed' && closeReason ? ` · ${closeReasonLabels[closeReason]}` : ''}
    </span>
  );
}
