/** A same-site path to return to after sign-in; anything else (other hosts, odd schemes) becomes "/". */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f]/.test(value) || value.startsWith('/sign-in') || value.startsWith('/api/')) return '/';
  return value;
}
