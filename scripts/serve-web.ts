// Vigil's web server: Next.js behind a plain HTTP server that stamps each request with the client's
// address (CLIENT_ADDRESS_HEADER), from the socket or, behind a trusted proxy, from X-Forwarded-For.
// `next start` cannot: route handlers see no socket, and Next keeps a client-sent X-Forwarded-For.
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { CLIENT_ADDRESS_HEADER, parseTrustedProxies, resolveClientAddress } from '../lib/net/client-address';
import { getEnv } from '../lib/env';

const [port = '3000', hostname = '127.0.0.1'] = process.argv.slice(2);
process.title = 'next-server (vigil)';
const env = getEnv();
const trusted = env.VIGIL_TRUSTED_PROXIES ?? parseTrustedProxies('');
const app = next({ dev: false, dir: path.join(import.meta.dirname, '..'), hostname, port: Number(port) });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  const address = resolveClientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], trusted);
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete request.headers[CLIENT_ADDRESS_HEADER];
  handle(request, response).catch((error: unknown) => {
    console.error(error);
    if (!response.headersSent) response.writeHead(500).end('Internal Server Error');
  });
});
server.listen(Number(port), hostname, () => console.log(`▲ Vigil web server ready on http://${hostname}:${port}`));
// As `next start`: stop at once (a keep-alive browser would hold a graceful close open).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
