// Every page request: security headers and a per-request CSP nonce that Next puts on its own
// scripts. The page path rides along so sign-in can send people back where they were.
import { NextResponse, type NextRequest } from 'next/server';
import {
  buildContentSecurityPolicy,
  staticSecurityHeaders,
  strictTransportSecurity,
} from './app/_lib/security-headers';

export function proxy(request: NextRequest) {
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-vigil-path', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const policy = buildContentSecurityPolicy(nonce, { development: process.env.NODE_ENV === 'development' });
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  for (const [name, value] of Object.entries(staticSecurityHeaders)) response.headers.set(name, value);
  const hsts = strictTransportSecurity(request.nextUrl.protocol);
  if (hsts) response.headers.set('Strict-Transport-Security', hsts);
  return response;
}

export const config = {
  // Static build files carry no user data and need no nonce. /api stays out: a proxy makes Next clone
  // and buffer every request body up to 10 MB and cut it there, which lost most of each large upload.
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|api/).*)' }],
};
