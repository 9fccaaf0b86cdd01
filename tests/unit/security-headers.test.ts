import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, strictTransportSecurity } from '../../app/_lib/security-headers';

describe('Content-Security-Policy', () => {
  it('lets scripts run only with the request nonce, and nothing frame or embed the app', () => {
    const policy = buildContentSecurityPolicy('abc123', { development: false });
    const script = policy.split('; ').find((directive) => directive.startsWith('script-src'));
    expect(script).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("base-uri 'none'");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('allows eval only for the development server', () => {
    expect(buildContentSecurityPolicy('n', { development: true })).toContain("'unsafe-eval'");
  });

  it('sends HSTS over https only', () => {
    expect(strictTransportSecurity('https:')).toMatch(/^max-age=\d+/);
    expect(strictTransportSecurity('http:')).toBeNull();
  });
});
