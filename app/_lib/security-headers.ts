// The headers every response carries. Pure, so a unit test can read the policy.

/** Scripts only with this request's nonce; styles may be inline (React style props, charts). */
export function buildContentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For machine-facing responses (JSON, exports): nothing may load, nothing may frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export const staticSecurityHeaders: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/** HSTS only when the site is served over HTTPS; on plain http it would be ignored or, worse, stick. */
export function strictTransportSecurity(protocol: string): string | null {
  return protocol === 'https:' ? STRICT_TRANSPORT_SECURITY : null;
}

/** Every machine-facing response (next.config.ts sets them: the proxy does not run on /api). */
export const API_SECURITY_HEADERS: Record<string, string> = {
  ...staticSecurityHeaders,
  'Content-Security-Policy': API_CONTENT_SECURITY_POLICY,
};
