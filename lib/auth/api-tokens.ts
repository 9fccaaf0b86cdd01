// API tokens for REST, the audit webhook and the remote CLI. A token is 256 random bits, shown
// once; only its SHA-256 is stored (a slow hash buys nothing against a value nobody can guess).
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import type { Actor } from './actor';
import type { TokenScope } from './roles';
import type { NewApiToken } from './schemas';

export const TOKEN_PREFIX = 'vigil_';
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;
const LAST_USED_PRECISION_MS = 60_000;

export type ApiTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(
  db: Db,
  input: NewApiToken,
  createdById: string | null,
  now = new Date(),
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await db.apiToken.create({
    data: {
      name: input.name,
      prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      tokenHash: hashApiToken(token),
      scopes: input.scopes,
      createdById,
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
    },
    include: { createdBy: { select: { email: true } } },
  });
  return { token, summary: toSummary(row) };
}

export async function listApiTokens(db: Db): Promise<ApiTokenSummary[]> {
  const rows = await db.apiToken.findMany({
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    include: { createdBy: { select: { email: true } } },
    take: 500,
  });
  return rows.map(toSummary);
}

/** Revokes a token; false when there is no such token or it was already revoked. */
export async function revokeApiToken(db: Db, id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

/** The actor a presented token stands for, or null for an unknown, revoked or expired token. */
export async function verifyApiToken(db: Db, token: string, now = new Date()): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(token) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: 'token',
    id: row.id,
    name: row.name,
    scopes: row.scopes as TokenScope[],
    createdById: row.createdById,
  };
}

type ApiTokenRow = Awaited<ReturnType<Db['apiToken']['findFirstOrThrow']>> & { createdBy: { email: string } | null };

function toSummary(row: ApiTokenRow): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as TokenScope[],
    createdAt: row.createdAt,
    createdBy: row.createdBy?.email ?? null,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}
