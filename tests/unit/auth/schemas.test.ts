import { describe, expect, it } from 'vitest';
import { newApiTokenSchema, newUserSchema } from '../../../lib/auth/schemas';
import { formatFirstIssue } from '../../../lib/format-first-issue';

const problem = (result: { success: boolean; error?: unknown }) =>
  result.success ? null : formatFirstIssue(result.error as Parameters<typeof formatFirstIssue>[0]);

describe('account and token input', () => {
  it('normalises an email and refuses weak or unknown values with a clear message', () => {
    const ok = newUserSchema.parse({
      email: 'Ana@Example.COM',
      name: ' Ana ',
      role: 'analyst',
      password: 'x'.repeat(12),
    });
    expect(ok).toMatchObject({ email: 'ana@example.com', name: 'Ana' });
    expect(problem(newUserSchema.safeParse({ ...ok, password: 'short' }))).toBe(
      'password: must be at least 12 characters',
    );
    expect(problem(newUserSchema.safeParse({ ...ok, role: 'root' }))).toBe(
      'role: must be one of: viewer, analyst, admin',
    );
    expect(problem(newUserSchema.safeParse({ ...ok, email: 'not-an-email' }))).toBe('email: must be an email address');
  });

  it('takes known scopes only, at least one, deduplicated', () => {
    expect(newApiTokenSchema.parse({ name: 'hook', scopes: ['read', 'ingest', 'read'] }).scopes).toEqual([
      'ingest',
      'read',
    ]);
    expect(problem(newApiTokenSchema.safeParse({ name: 'hook', scopes: [] }))).toBe(
      'scopes: choose at least one scope',
    );
    expect(problem(newApiTokenSchema.safeParse({ name: 'hook', scopes: ['admin'] }))).toMatch(
      /^scopes\[0\]: must be one of/,
    );
    expect(problem(newApiTokenSchema.safeParse({ name: 'hook', scopes: ['read'], expiresInDays: '0' }))).toMatch(
      /expiresInDays: must be at least 1 day/,
    );
  });
});
