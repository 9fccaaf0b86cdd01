'use client';

import { incidentCloseReasons, incidentStatuses, type IncidentStatus } from '@/lib/incidents/schemas';

export type IncidentCloseReason = (typeof incidentCloseReasons)[number];

/** Status, and when closing the reason and whether the open member alerts close too: one incident or many. */
export function IncidentStatusFields({
  status,
  onStatus,
  closeReason,
  onCloseReason,
  closeMembers,
  onCloseMembers,
  closeMembersLabel,
}: {
  status: IncidentStatus;
  onStatus: (status: IncidentStatus) => void;
  closeReason: IncidentCloseReason;
  onCloseReason: (reason: IncidentCloseReason) => void;
  closeMembers: boolean;
  onCloseMembers: (closeMembers: boolean) => void;
  closeMembersLabel: string;
}) {
  return (
    <>
      <label>
        Status{' '}
        <select value={status} onChange={(event) => onStatus(event.target.value as IncidentStatus)}>
          {incidentStatuses.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </label>
      {status === 'closed' ? (
        <>
          <label>
            Reason{' '}
            <select value={closeReason} onChange={(event) => onCloseReason(event.target.value as IncidentCloseReason)}>
              {incidentCloseReasons.map((value) => (
                <option key={value} value={value}>
                  {value.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={closeMembers} onChange={(event) => onCloseMembers(event.target.checked)} />{' '}
            {closeMembersLabel}
          </label>
        </>
      ) : null}
    </>
  );
}
