import type { Assignee } from '@/lib/alerts/list-assignees';

/** Everyone who can be assigned an alert except the current user, who is offered as "Me". */
export function AssigneeOptions({ assignees, currentUserId }: { assignees: Assignee[]; currentUserId: string }) {
  return assignees
    .filter((assignee) => assignee.id !== currentUserId)
    .map((assignee) => (
      <option key={assignee.id} value={assignee.id}>
        {assignee.email}
      </option>
    ));
}
