// Notification destinations: created, changed, removed and listed by admins. Secrets are sealed on the way in
// and only their masked form comes back out; the worker opens them to send.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../app-error';
import { formatFirstIssue } from '../format-first-issue';
import { refuseDestinationUrl, isBlockedAddress } from './check-url';
import {
  destinationInputSchema,
  SECRET_FIELDS,
  type DestinationChange,
  type DestinationInput,
  type DestinationType,
} from './schemas';
import { maskSecret, openSecrets, sealSecrets } from './secret-box';

export type DestinationView = {
  id: string;
  name: string;
  type: DestinationType;
  enabled: boolean;
  config: Record<string, unknown>;
  masked: Record<string, string>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

export type StoredDestination = { id: string; name: string; enabled: boolean; input: DestinationInput };

function checkAddresses(input: DestinationInput, allowPrivate: boolean) {
  const url = 'url' in input ? input.url : null;
  const refused = url ? refuseDestinationUrl(url, allowPrivate) : null;
  if (refused) throw new AppError('invalid', `url: ${refused}`);
  if (input.type === 'email' && !allowPrivate && isBlockedAddress(input.host))
    throw new AppError('invalid', 'host: link-local and cloud metadata addresses are refused');
}

function split(input: DestinationInput) {
  const secretFields = SECRET_FIELDS[input.type];
  const secrets: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (field === 'type' || field === 'name') continue;
    (secretFields.includes(field) ? secrets : config)[field] = value;
  }
  const masked = Object.fromEntries(secretFields.map((field) => [field, maskSecret(field, secrets[field])]));
  return { secrets, config, masked };
}

type DestinationRow = {
  id: string;
  name: string;
  type: DestinationType;
  enabled: boolean;
  config: Record<string, unknown>;
  secrets: string;
  masked: Record<string, string>;
  created_by: string;
  created_at: Date;
  updated_at: Date;
};

function toView(row: DestinationRow): DestinationView {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    enabled: row.enabled,
    config: row.config,
    masked: row.masked,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function open(key: Buffer, row: DestinationRow): StoredDestination {
  const input = destinationInputSchema.parse({
    ...row.config,
    ...openSecrets(key, row.id, row.secrets),
    type: row.type,
    name: row.name,
  });
  return { id: row.id, name: row.name, enabled: row.enabled, input };
}

export async function createDestination(
  client: pg.ClientBase,
  input: DestinationInput,
  options: { key: Buffer; allowPrivate: boolean; actorName: string },
): Promise<{ id: string }> {
  checkAddresses(input, options.allowPrivate);
  const id = randomUUID();
  const { secrets, config, masked } = split(input);
  await client.query(
    `INSERT INTO notification_destinations (id, name, type, config, secrets, masked, created_by)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7)`,
    [
      id,
      input.name,
      input.type,
      JSON.stringify(config),
      sealSecrets(options.key, id, secrets),
      JSON.stringify(masked),
      options.actorName,
    ],
  );
  return { id };
}

async function readRow(client: pg.ClientBase, id: string, lock = false): Promise<DestinationRow | undefined> {
  const result = await client.query<DestinationRow>(
    `SELECT * FROM notification_destinations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

/** A change merges over what is stored (a secret left out keeps its value); the result is checked as a whole. */
export async function changeDestination(
  client: pg.ClientBase,
  id: string,
  change: DestinationChange,
  options: { key: Buffer; allowPrivate: boolean },
): Promise<DestinationView> {
  const row = await readRow(client, id, true);
  if (!row) throw new AppError('not-found', 'no such destination');
  const { enabled, ...fields } = change;
  const current = open(options.key, row).input;
  const parsed = destinationInputSchema.safeParse({ ...current, ...fields, type: row.type });
  if (!parsed.success) throw new AppError('invalid', formatFirstIssue(parsed.error));
  checkAddresses(parsed.data, options.allowPrivate);
  const { secrets, config, masked } = split(parsed.data);
  const result = await client.query<DestinationRow>(
    `UPDATE notification_destinations
        SET name = $2, config = $3::jsonb, secrets = $4, masked = $5::jsonb, enabled = coalesce($6, enabled), updated_at = now()
      WHERE id = $1 RETURNING *`,
    [
      id,
      parsed.data.name,
      JSON.stringify(config),
      sealSecrets(options.key, id, secrets),
      JSON.stringify(masked),
      enabled ?? null,
    ],
  );
  return toView(result.rows[0]!);
}

export async function deleteDestination(client: pg.ClientBase, id: string) {
  const result = await client.query(`DELETE FROM notification_destinations WHERE id = $1`, [id]);
  if (result.rowCount === 0) throw new AppError('not-found', 'no such destination');
}

export async function listDestinations(client: pg.ClientBase): Promise<DestinationView[]> {
  const result = await client.query<DestinationRow>(`SELECT * FROM notification_destinations ORDER BY name, id`);
  return result.rows.map(toView);
}

/** The destination with its secrets opened: for sending only, never for an answer. */
export async function readDestinationForSending(
  client: pg.ClientBase,
  id: string,
  key: Buffer,
): Promise<StoredDestination | null> {
  const row = await readRow(client, id);
  return row ? open(key, row) : null;
}
