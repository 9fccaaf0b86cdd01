// The web server process (see scripts/serve-web.ts): `node bin/web-server.mjs <port> <hostname>`.
await import('./register.mjs');
await import('../scripts/serve-web.ts');
