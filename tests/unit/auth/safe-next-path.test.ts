import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../../lib/auth/safe-next-path';

describe('safeNextPath', () => {
  it.each(['/rules', '/alerts?status=open&rule=x', '/'])('keeps the same-site path %s', (path) => {
    expect(safeNextPath(path)).toBe(path);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    'javascript:alert(1)',
    '/sign-in?next=/sign-in',
    '/api/v1/uploads',
    '/rules\nSet-Cookie: x=y',
    undefined,
    ['/rules'],
    '/' + 'a'.repeat(3000),
  ])('turns %j into "/"', (value) => {
    expect(safeNextPath(value)).toBe('/');
  });
});
