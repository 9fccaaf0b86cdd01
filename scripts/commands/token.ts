import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenSummary } from '../../lib/auth/api-tokens';
import { newApiTokenSchema } from '../../lib/auth/schemas';
import { getDb } from '../../lib/db/client';
import { formatFirstIssue } from '../../lib/format-first-issue';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';

const USAGE = `usage: vigil token create --name N --scope ingest|read|triage [--scope …] [--expires-days D]
       vigil token list
       vigil token revoke ID`;

export async function tokenCommand(args: string[]): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      'expires-days': { type: 'string' },
    },
  });
  const [verb, target] = positionals;
  if (!verb) throw new Error(USAGE);
  return withDatabase(async () => {
    const db = getDb();
    try {
      if (verb === 'create') {
        const input = newApiTokenSchema.safeParse({
          name: values.name,
          scopes: values.scope ?? [],
          expiresInDays: values['expires-days'],
        });
        if (!input.success) throw new Error(formatFirstIssue(input.error));
        const { token, summary } = await createApiToken(db, input.data, null);
        return {
          ok: true,
          text: `token ${summary.name} (${summary.scopes.join(', ')}):\n${token}\n(shown once; send it as Authorization: Bearer <token>)`,
          json: { token, ...summary },
        };
      }
      if (verb === 'list') {
        const tokens = await listApiTokens(db);
        return {
          ok: true,
          text: tokens.length === 0 ? 'no tokens' : tokens.map(describeToken).join('\n'),
          json: { tokens },
        };
      }
      if (verb === 'revoke') {
        const id = z.uuid().safeParse(target);
        if (!id.success) throw new Error(USAGE);
        const revoked = await revokeApiToken(db, id.data);
        return { ok: revoked, text: revoked ? 'revoked' : 'no such active token', json: { revoked } };
      }
      throw new Error(USAGE);
    } finally {
      await db.$disconnect();
    }
  });
}

function describeToken(token: ApiTokenSummary) {
  const state = token.revokedAt ? 'REVOKED' : token.expiresAt && token.expiresAt <= new Date() ? 'EXPIRED' : 'active';
  const used = token.lastUsedAt ? `last used ${token.lastUsedAt.toISOString()}` : 'never used';
  return `${token.id}  ${token.prefix}…  ${token.name}  [${token.scopes.join(', ')}]  ${state}  ${used}`;
}
