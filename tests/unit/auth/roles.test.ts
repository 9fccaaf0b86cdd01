import { describe, expect, it } from 'vitest';
import { leastRoleFor, roleAllows, scopesAllow } from '../../../lib/auth/roles';

describe('roles', () => {
  it.each([
    ['viewer', 'read', true],
    ['viewer', 'ingest', false],
    ['viewer', 'triage', false],
    ['viewer', 'admin', false],
    ['analyst', 'read', true],
    ['analyst', 'ingest', true],
    ['analyst', 'triage', true],
    ['analyst', 'admin', false],
    ['admin', 'read', true],
    ['admin', 'ingest', true],
    ['admin', 'triage', true],
    ['admin', 'admin', true],
  ] as const)('%s may %s: %s', (role, permission, allowed) => {
    expect(roleAllows(role, permission)).toBe(allowed);
  });

  it('maps token scopes onto permissions, never onto admin', () => {
    expect(scopesAllow(['ingest'], 'ingest')).toBe(true);
    expect(scopesAllow(['ingest'], 'read')).toBe(false);
    expect(scopesAllow(['read'], 'triage')).toBe(false);
    expect(scopesAllow(['triage'], 'read')).toBe(true);
    expect(scopesAllow(['triage'], 'triage')).toBe(true);
    expect(scopesAllow(['ingest', 'read', 'triage'], 'admin')).toBe(false);
    expect(scopesAllow(['admin', 'superuser'], 'read')).toBe(false);
  });

  it('names the least role that holds a permission', () => {
    expect(leastRoleFor('read')).toBe('viewer');
    expect(leastRoleFor('triage')).toBe('analyst');
    expect(leastRoleFor('admin')).toBe('admin');
  });
});
