import type pg from 'pg';
import { AppError } from '../app-error';
import { withTransaction } from '../db/with-transaction';
import { readSavedView, type SavedView, type ViewViewer } from './list-saved-views';
import type { SavedViewInput, SavedViewPatch } from './schemas';

const UNIQUE_VIOLATION = '23505';

function nameTaken(error: unknown, name: string | undefined): never {
  if ((error as { code?: string }).code === UNIQUE_VIOLATION)
    throw new AppError('conflict', `you already have a view named "${name}"`);
  throw error;
}

/** Saves the current queue view under a name, private or shared; names are unique per owner. */
export async function createSavedView(pool: pg.Pool, viewer: ViewViewer, input: SavedViewInput): Promise<SavedView> {
  if (!viewer.userId) throw new AppError('forbidden', 'a view belongs to a person: this token was made by no user');
  try {
    const created = await pool.query<{ id: string }>(
      `INSERT INTO saved_views (id, owner_id, name, shared, params) VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id`,
      [viewer.userId, input.name, input.shared, input.params],
    );
    return (await readSavedView(pool, created.rows[0]!.id, viewer))!;
  } catch (error) {
    nameTaken(error, input.name);
  }
}

/** A view the viewer may change: 404 when they cannot see it, 403 when it is someone else's (and they are no admin). */
async function readEditable(client: pg.PoolClient, id: string, viewer: ViewViewer): Promise<SavedView> {
  const view = await readSavedView(client, id, viewer);
  if (!view) throw new AppError('not-found', 'no such view');
  if (!view.canEdit)
    throw new AppError('forbidden', `this view is ${view.owner.email}'s: only they or an admin change it`);
  return view;
}

/** Renames a view, shares or unshares it, or points it at other params. */
export async function updateSavedView(
  pool: pg.Pool,
  id: string,
  viewer: ViewViewer,
  patch: SavedViewPatch,
): Promise<SavedView> {
  return withTransaction(pool, async (client) => {
    await readEditable(client, id, viewer);
    try {
      await client.query(
        `UPDATE saved_views SET name = coalesce($2, name), shared = coalesce($3, shared),
            params = coalesce($4, params), updated_at = now() WHERE id = $1`,
        [id, patch.name ?? null, patch.shared ?? null, patch.params ?? null],
      );
    } catch (error) {
      nameTaken(error, patch.name);
    }
    // An admin who unshares someone's view no longer sees it in lists; the answer still shows it.
    return (await readSavedView(client, id, viewer, { evenPrivate: true }))!;
  });
}

export async function deleteSavedView(pool: pg.Pool, id: string, viewer: ViewViewer): Promise<void> {
  await withTransaction(pool, async (client) => {
    await readEditable(client, id, viewer);
    await client.query(`DELETE FROM saved_views WHERE id = $1`, [id]);
  });
}
