import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { issueSetupToken } from '../../lib/auth/first-run';
import { newUserSchema, passwordSchema, roleSchema } from '../../lib/auth/schemas';
import {
  createUser,
  listUsers,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  type UserSummary,
} from '../../lib/auth/users';
import { getDb } from '../../lib/db/client';
import { getEnv } from '../../lib/env';
import { formatFirstIssue } from '../../lib/format-first-issue';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';

const USAGE = `usage: vigil user create --email E [--name N] --role viewer|analyst|admin [--password P]
       vigil user list
       vigil user set-role EMAIL ROLE
       vigil user disable EMAIL | enable EMAIL
       vigil user set-password EMAIL [--password P]
       vigil user setup-link        (a one-time link to create the first admin in the browser)
A password that is not given is generated and printed once.`;

const generatePassword = () => randomBytes(18).toString('base64url');

function parse<T>(
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: Parameters<typeof formatFirstIssue>[0] };
  },
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(formatFirstIssue(result.error));
  return result.data;
}

export async function userCommand(args: string[]): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const [verb, target, extra] = positionals;
  if (!verb) throw new Error(USAGE);
  return withDatabase(async () => {
    const db = getDb();
    try {
      switch (verb) {
        case 'create': {
          const generated = values.password === undefined;
          const password = values.password ?? generatePassword();
          const input = parse(newUserSchema, {
            email: values.email,
            name: values.name ?? values.email?.split('@')[0],
            role: values.role,
            password,
          });
          const user = await createUser(db, input);
          return done(
            `created ${user.email} (${user.role})${generated ? `\npassword: ${password}\n(shown once: pass it on privately; change it with vigil user set-password)` : ''}`,
            { user, ...(generated ? { password } : {}) },
          );
        }
        case 'list': {
          const users = await listUsers(db);
          const text = users.length === 0 ? 'no accounts yet' : users.map(describeUser).join('\n');
          return done(text, { users });
        }
        case 'set-role': {
          if (!target || !extra) throw new Error(USAGE);
          const user = await setUserRole(db, target, parse(roleSchema, extra));
          return done(`${user.email} is now ${user.role}`, { user });
        }
        case 'disable':
        case 'enable': {
          if (!target) throw new Error(USAGE);
          const user = await setUserDisabled(db, target, verb === 'disable');
          return done(`${user.email} is ${user.disabled ? 'disabled (sessions ended)' : 'enabled'}`, { user });
        }
        case 'set-password': {
          if (!target) throw new Error(USAGE);
          const generated = values.password === undefined;
          const password = parse(passwordSchema, values.password ?? generatePassword());
          const user = await setUserPassword(db, target, password);
          return done(`new password for ${user.email}${generated ? `: ${password}` : ''} (their sessions were ended)`, {
            user,
            ...(generated ? { password } : {}),
          });
        }
        case 'setup-link': {
          const token = await issueSetupToken(db);
          if (!token)
            return {
              ok: false,
              text: 'accounts exist already: sign in, or ask an admin',
              json: { error: 'accounts exist' },
            };
          const url = `http://localhost:${getEnv().PORT}/setup?token=${token}`;
          return done(`open ${url} to create the first admin (earlier links stop working)`, { url });
        }
        default:
          throw new Error(USAGE);
      }
    } finally {
      await db.$disconnect();
    }
  });
}

function done(text: string, json: Record<string, unknown>): CommandResult {
  return { ok: true, text, json };
}

function describeUser(user: UserSummary) {
  const last = user.lastSignInAt ? `last sign-in ${user.lastSignInAt.toISOString()}` : 'never signed in';
  return `${user.email.padEnd(32)} ${user.role.padEnd(8)} ${user.disabled ? 'DISABLED ' : ''}${user.name} · ${last}`;
}
