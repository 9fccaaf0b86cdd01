// Who may do what: roles for people, scopes for API tokens, both mapped onto one set of permissions.
// Pure, so pages, route handlers, server actions and the UI all read the same table.

export const roles = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof roles)[number];

export const tokenScopes = ['ingest', 'read', 'triage'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** read: see alerts, events, rules, uploads; ingest: send logs; triage: alerts, notes, allowlist; admin: rules, users, tokens. */
export const permissions = ['read', 'ingest', 'triage', 'admin'] as const;
export type Permission = (typeof permissions)[number];

const rolePermissions: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  analyst: ['read', 'ingest', 'triage'],
  admin: ['read', 'ingest', 'triage', 'admin'],
};

const scopePermissions: Record<TokenScope, readonly Permission[]> = {
  ingest: ['ingest'],
  read: ['read'],
  triage: ['read', 'triage'],
};

export const roleDescriptions: Record<Role, string> = {
  viewer: 'reads alerts, events, rules and uploads',
  analyst: 'also triages alerts, writes notes, edits the allowlist and uploads logs',
  admin: 'also tunes rules and manages users and API tokens',
};

export const scopeDescriptions: Record<TokenScope, string> = {
  ingest: 'send audit logs (uploads, the audit webhook, vigil ingest --server)',
  read: 'read alerts, events, rules and uploads',
  triage: 'read, and change alerts and the allowlist',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

export function scopesAllow(scopes: readonly string[], permission: Permission): boolean {
  return scopes.some((scope) => (scopePermissions[scope as TokenScope] ?? []).includes(permission));
}

/** The least role that holds a permission, for "ask an admin"-style messages. */
export function leastRoleFor(permission: Permission): Role {
  return roles.find((role) => roleAllows(role, permission))!;
}
