// authorization.k8s.io/reason, as the RBAC authorizer writes it for an allowed request:
//   RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to ServiceAccount "sa/ns"
//   RBAC: allowed by RoleBinding "b/ns" of Role "r" to Group "g"
// Names are Go %q strings (a user or group name may hold any character, escaped). Anything else is kept
// verbatim by the caller and counted as unparsed: a reason is never dropped. Pure.
import { z } from 'zod';

export const BINDING_KINDS = ['ClusterRoleBinding', 'RoleBinding'] as const;
export const ROLE_KINDS = ['ClusterRole', 'Role'] as const;
export const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'] as const;

export const rbacGrantSchema = z.object({
  bindingKind: z.enum(BINDING_KINDS),
  bindingName: z.string().min(1),
  /** The RoleBinding's namespace; null for a ClusterRoleBinding. */
  bindingNamespace: z.string().min(1).nullable(),
  roleKind: z.enum(ROLE_KINDS),
  roleName: z.string().min(1),
  subjectKind: z.enum(SUBJECT_KINDS),
  subjectName: z.string().min(1),
  /** A ServiceAccount subject's namespace; null for users and groups. */
  subjectNamespace: z.string().min(1).nullable(),
});
export type RbacGrant = z.infer<typeof rbacGrantSchema>;

export type ParsedReason =
  | { kind: 'none' }
  | { kind: 'rbac'; grant: RbacGrant }
  /** A reason that is not an RBAC grant (another authorizer, a webhook, a truncated log): kept as it is. */
  | { kind: 'unparsed'; text: string };

/** Longer than any real reason (names are at most 253 characters each): not worth reading. */
const MAX_REASON_LENGTH = 4096;
const PREFIX = 'RBAC: allowed by ';
// Kubernetes object names (bindings, roles, service accounts, namespaces) are path segments: no slash.
const OBJECT_NAME = /^[^/\s]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

type Cursor = { text: string; at: number };

function readWord(cursor: Cursor, words: readonly string[]): string | null {
  for (const word of [...words].sort((a, b) => b.length - a.length)) {
    if (cursor.text.startsWith(`${word} `, cursor.at)) {
      cursor.at += word.length + 1;
      return word;
    }
  }
  return null;
}

function readLiteral(cursor: Cursor, literal: string): boolean {
  if (!cursor.text.startsWith(literal, cursor.at)) return false;
  cursor.at += literal.length;
  return true;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A Go double-quoted string literal at the cursor, decoded; null when it is not one. */
function readQuoted(cursor: Cursor): string | null {
  const { text } = cursor;
  if (text[cursor.at] !== '"') return null;
  let at = cursor.at + 1;
  let out = '';
  while (at < text.length) {
    const char = text[at]!;
    if (char === '"') {
      cursor.at = at + 1;
      return out;
    }
    if (char !== '\\') {
      out += char;
      at++;
      continue;
    }
    const escape = text[at + 1];
    if (escape === undefined) return null;
    if (SIMPLE_ESCAPES[escape] !== undefined) {
      out += SIMPLE_ESCAPES[escape];
      at += 2;
    } else if (HEX_DIGITS[escape] !== undefined) {
      const digits = text.slice(at + 2, at + 2 + HEX_DIGITS[escape]);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== HEX_DIGITS[escape]) return null;
      const code = Number.parseInt(digits, 16);
      // \xNN is one byte of invalid UTF-8: it stands for a character only when it is ASCII.
      if (code > 0x10ffff || (escape === 'x' && code > 0x7f)) out += '\ufffd';
      else out += String.fromCodePoint(code);
      at += 2 + digits.length;
    } else if (/[0-7]/.test(escape)) {
      const digits = text.slice(at + 1, at + 4);
      if (!/^[0-7]{3}$/.test(digits)) return null;
      const code = Number.parseInt(digits, 8);
      out += code > 0x7f ? '\ufffd' : String.fromCharCode(code);
      at += 4;
    } else {
      return null;
    }
  }
  return null;
}

/** `name/namespace`, both object names; null when it is not exactly that. */
function splitNamespaced(value: string): { name: string; namespace: string } | null {
  const slash = value.indexOf('/');
  if (slash < 0) return null;
  const name = value.slice(0, slash);
  const namespace = value.slice(slash + 1);
  return OBJECT_NAME.test(name) && OBJECT_NAME.test(namespace) ? { name, namespace } : null;
}

function readGrant(text: string): RbacGrant | null {
  if (text.length > MAX_REASON_LENGTH || !text.startsWith(PREFIX)) return null;
  const cursor: Cursor = { text, at: PREFIX.length };
  const bindingKind = readWord(cursor, BINDING_KINDS) as RbacGrant['bindingKind'] | null;
  const binding = bindingKind && readQuoted(cursor);
  if (!bindingKind || binding === null || !readLiteral(cursor, ' of ')) return null;
  const roleKind = readWord(cursor, ROLE_KINDS) as RbacGrant['roleKind'] | null;
  const roleName = roleKind && readQuoted(cursor);
  if (!roleKind || roleName === null || !readLiteral(cursor, ' to ')) return null;
  const subjectKind = readWord(cursor, SUBJECT_KINDS) as RbacGrant['subjectKind'] | null;
  const subject = subjectKind && readQuoted(cursor);
  if (!subjectKind || subject === null || cursor.at !== text.length) return null;

  let bindingName = binding;
  let bindingNamespace: string | null = null;
  if (bindingKind === 'RoleBinding') {
    const split = splitNamespaced(binding);
    if (!split) return null;
    bindingName = split.name;
    bindingNamespace = split.namespace;
  } else if (!OBJECT_NAME.test(binding)) {
    return null;
  }
  // A ClusterRoleBinding can only grant a ClusterRole.
  if (bindingKind === 'ClusterRoleBinding' && roleKind !== 'ClusterRole') return null;
  if (!OBJECT_NAME.test(roleName)) return null;

  let subjectName = subject;
  let subjectNamespace: string | null = null;
  if (subjectKind === 'ServiceAccount') {
    const split = splitNamespaced(subject);
    if (!split) return null;
    subjectName = split.name;
    subjectNamespace = split.namespace;
  }
  if (subjectName.length === 0 || CONTROL.test(subjectName)) return null;
  const parsed = rbacGrantSchema.safeParse({
    bindingKind,
    bindingName,
    bindingNamespace,
    roleKind,
    roleName,
    subjectKind,
    subjectName,
    subjectNamespace,
  });
  return parsed.success ? parsed.data : null;
}

export function parseAuthorizationReason(reason: string | null | undefined): ParsedReason {
  if (reason === null || reason === undefined || reason.trim() === '') return { kind: 'none' };
  const grant = readGrant(reason);
  return grant ? { kind: 'rbac', grant } : { kind: 'unparsed', text: reason };
}

/** "ClusterRoleBinding x → ClusterRole y", for evidence and reports (plain text; render it as text). */
export function describeGrant(grant: RbacGrant): string {
  const binding = grant.bindingNamespace ? `${grant.bindingNamespace}/${grant.bindingName}` : grant.bindingName;
  return `${grant.bindingKind} ${binding} → ${grant.roleKind} ${grant.roleName}`;
}

/** The subject as Kubernetes names it in a username: system:serviceaccount:ns:name for a service account. */
export function describeSubject(grant: RbacGrant): string {
  return grant.subjectKind === 'ServiceAccount'
    ? `system:serviceaccount:${grant.subjectNamespace}:${grant.subjectName}`
    : grant.subjectName;
}

/** The normalized columns of a reason, as the ingest stores them beside it. */
export type ReasonFields = {
  rbacBindingKind: string | null;
  rbacBindingName: string | null;
  rbacBindingNamespace: string | null;
  rbacRoleKind: string | null;
  rbacRoleName: string | null;
  rbacSubjectKind: string | null;
  rbacSubjectName: string | null;
  rbacSubjectNamespace: string | null;
  /** null: no reason; false: a reason that is not an RBAC grant, kept verbatim in `reason`. */
  reasonParsed: boolean | null;
};

export function reasonFieldsOf(reason: string | null | undefined): ReasonFields {
  const parsed = parseAuthorizationReason(reason);
  const grant = parsed.kind === 'rbac' ? parsed.grant : null;
  return {
    rbacBindingKind: grant?.bindingKind ?? null,
    rbacBindingName: grant?.bindingName ?? null,
    rbacBindingNamespace: grant?.bindingNamespace ?? null,
    rbacRoleKind: grant?.roleKind ?? null,
    rbacRoleName: grant?.roleName ?? null,
    rbacSubjectKind: grant?.subjectKind ?? null,
    rbacSubjectName: grant?.subjectName ?? null,
    rbacSubjectNamespace: grant?.subjectNamespace ?? null,
    reasonParsed: parsed.kind === 'none' ? null : parsed.kind === 'rbac',
  };
}
