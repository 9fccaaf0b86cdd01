import type pg from 'pg';
import { countAlertsByStatus } from '../alerts/count-alerts';
import { parseAlertSearchParams } from '../alerts/schemas';
import { actorUserId, type Actor } from '../auth/actor';

/** Who asks: views are the person's own plus the shared ones; an admin may change anyone's. */
export type ViewViewer = { userId: string | null; isAdmin: boolean };

/** A token acts for the person who made it, without admin rights over others' views. */
export function viewViewerOf(actor: Actor): ViewViewer {
  return { userId: actorUserId(actor), isAdmin: actor.kind === 'user' && actor.role === 'admin' };
}

export type SavedView = {
  id: string;
  name: string;
  shared: boolean;
  params: string;
  href: string;
  owner: { id: string; email: string; name: string };
  mine: boolean;
  canEdit: boolean;
  /** Alerts the view's filter matches now (its status tab included); null when not asked for. */
  count: number | null;
  createdAt: string;
  updatedAt: string;
};

type ViewRow = {
  id: string;
  name: string;
  shared: boolean;
  params: string;
  owner_id: string;
  owner_email: string;
  owner_name: string;
  created_at: Date;
  updated_at: Date;
};

const VIEW_SELECT = `SELECT v.id, v.name, v.shared, v.params, v.owner_id, u.email AS owner_email, u.name AS owner_name,
    v.created_at, v.updated_at FROM saved_views v JOIN users u ON u.id = v.owner_id`;

function toSavedView(row: ViewRow, viewer: ViewViewer, count: number | null): SavedView {
  const mine = row.owner_id === viewer.userId;
  return {
    id: row.id,
    name: row.name,
    shared: row.shared,
    params: row.params,
    href: `/alerts?${row.params}`,
    owner: { id: row.owner_id, email: row.owner_email, name: row.owner_name },
    mine,
    canEdit: mine || viewer.isAdmin,
    count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The number the queue shows for these params: its total under the filter, from the queue's own count. */
export async function countSavedViewAlerts(pool: pg.Pool, params: string): Promise<number | null> {
  const query = parseAlertSearchParams(new URLSearchParams(params));
  if (!query.success) return null;
  const counts = await countAlertsByStatus(pool, query.data.filter);
  return query.data.filter.status ? counts[query.data.filter.status] : counts.all;
}

/** The viewer's own views and the team's shared ones, own first, each by name; with live counts unless told not. */
export async function listSavedViews(
  pool: pg.Pool,
  viewer: ViewViewer,
  options: { counts?: boolean } = {},
): Promise<SavedView[]> {
  const result = await pool.query<ViewRow>(
    `${VIEW_SELECT} WHERE v.owner_id = $1 OR v.shared
      ORDER BY (v.owner_id = $1) DESC NULLS LAST, lower(v.name), v.id LIMIT 200`,
    [viewer.userId],
  );
  return Promise.all(
    result.rows.map(async (row) =>
      toSavedView(row, viewer, options.counts === false ? null : await countSavedViewAlerts(pool, row.params)),
    ),
  );
}

/** One view the viewer may see (their own or shared), or null; `evenPrivate` once the viewer has changed it. */
export async function readSavedView(
  pool: pg.Pool | pg.PoolClient,
  id: string,
  viewer: ViewViewer,
  options: { evenPrivate?: boolean } = {},
) {
  const result = await pool.query<ViewRow>(`${VIEW_SELECT} WHERE v.id = $1 AND (v.owner_id = $2 OR v.shared OR $3)`, [
    id,
    viewer.userId,
    options.evenPrivate === true,
  ]);
  return result.rows[0] ? toSavedView(result.rows[0], viewer, null) : null;
}
