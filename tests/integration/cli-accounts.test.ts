import { afterAll, describe, expect, inject, it } from 'vitest';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { createScratchDatabase } from '../support/database';
import { runCli } from '../support/run-cli';

// `vigil user` decides things from the whole users table (first admin, last admin): its own database.
const database = await createScratchDatabase(inject('serverUrl'), 'cli_users');
await applyAllMigrations(database.url);
const env = { DATABASE_URL: database.url, VIGIL_AUTH_SECRET: 'a'.repeat(40) };
afterAll(() => database.drop());

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown> & { ok: boolean };

describe('vigil user and vigil token', () => {
  it('offers a first-run link while there is no account, and stops once one exists', async () => {
    const link = await runCli(['user', 'setup-link', '--json'], env);
    expect(link.code).toBe(0);
    expect(json(link.stdout).url).toMatch(/^http:\/\/localhost:\d+\/setup\?token=[\w-]{32}$/);

    const created = await runCli(['user', 'create', '--email', 'Root@Example.com', '--role', 'admin'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created root@example\.com \(admin\)\npassword: \S{24}\n/);

    const again = await runCli(['user', 'setup-link'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('accounts exist already');
  });

  it('manages accounts, refusing what would leave no admin, and says why bad input is bad', async () => {
    const create = await runCli(
      [
        'user',
        'create',
        '--email',
        'ana@example.com',
        '--name',
        'Ana',
        '--role',
        'analyst',
        '--password',
        'x'.repeat(14),
        '--json',
      ],
      env,
    );
    expect(json(create.stdout)).toMatchObject({ ok: true, user: { email: 'ana@example.com', role: 'analyst' } });
    expect(json(create.stdout).password).toBeUndefined();

    const weak = await runCli(
      ['user', 'create', '--email', 'b@example.com', '--role', 'viewer', '--password', 'short'],
      env,
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password: must be at least 12 characters');
    const badRole = await runCli(['user', 'set-role', 'ana@example.com', 'root'], env);
    expect(badRole.stderr).toContain('must be one of: viewer, analyst, admin');

    expect((await runCli(['user', 'set-role', 'ana@example.com', 'viewer'], env)).stdout).toContain('is now viewer');
    const lastAdmin = await runCli(['user', 'disable', 'root@example.com'], env);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toContain('last enabled admin');
    expect((await runCli(['user', 'disable', 'ana@example.com'], env)).stdout).toContain('disabled');

    const list = json((await runCli(['user', 'list', '--json'], env)).stdout);
    expect(list.users).toEqual([
      expect.objectContaining({ email: 'ana@example.com', role: 'viewer', disabled: true }),
      expect.objectContaining({ email: 'root@example.com', role: 'admin', disabled: false }),
    ]);
  });

  it('creates a token shown once, lists it by prefix only, and revokes it', async () => {
    const created = json(
      (await runCli(['token', 'create', '--name', 'ci', '--scope', 'ingest', '--scope', 'read', '--json'], env)).stdout,
    );
    expect(created).toMatchObject({ ok: true, name: 'ci', scopes: ['ingest', 'read'] });
    const token = created.token as string;
    expect(token).toMatch(/^vigil_/);

    const listed = await runCli(['token', 'list'], env);
    expect(listed.stdout).toContain(`${token.slice(0, 12)}…`);
    expect(listed.stdout).not.toContain(token);

    const revoked = await runCli(['token', 'revoke', created.id as string], env);
    expect(revoked.stdout).toContain('revoked');
    expect((await runCli(['token', 'list'], env)).stdout).toContain('REVOKED');
    const badScope = await runCli(['token', 'create', '--name', 'x', '--scope', 'admin'], env);
    expect(badScope.stderr).toMatch(/scopes\[0\]: must be one of: ingest, read, triage/);
  });
});
