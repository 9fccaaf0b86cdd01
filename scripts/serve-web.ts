// Vigil's web server: Next.js behind a plain HTTP server that stamps each request with the client's
// address (CLIENT_ADDRESS_HEADER), from the socket or, behind a trusted proxy, from X-Forwarded-For.
// `next start` cannot: route handlers see no socket, and Next keeps a client-sent X-Forwarded-For.
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { CLIENT_ADDRESS_HEADER, parseTrustedProxies, resolveClientAddress } from '../lib/net/client-address';
import { getEnv } from '../lib/env';
import { MAX_FILTER_LENGTH } from '../lib/search-params';

const [port = '3000', hostname = '127.0.0.1'] = process.argv.slice(2);
process.title = 'next-server (vigil)';
const env = getEnv();
const trusted = env.VIGIL_TRUSTED_PROXIES ?? parseTrustedProxies('');
const app = next({ dev: false, dir: path.join(import.meta.dirname, '..'), hostname, port: Number(port) });
const handle = app.getRequestHandler();
await app.prepare();

// Node refuses a request line and headers over 16 KB with a bare 431 that Chrome shows as "HTTP ERROR
// 431". Searches are capped at 1,024 characters, so a page explains a longer one; past this size a
// short page does, in place of Node's empty answer.
const MAX_HEADER_BYTES = 64 * 1024;
const TOO_LONG_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Address too long · Vigil</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>This address is too long</h1>
<p>Searches and filters take at most ${MAX_FILTER_LENGTH.toLocaleString('en-US')} characters, and this request is over
${MAX_HEADER_BYTES / 1024} KB. Go back, shorten the search, and try again.</p><p><a href="/">Back to the overview</a></p></body></html>`;

const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
  const address = resolveClientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], trusted);
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete request.headers[CLIENT_ADDRESS_HEADER];
  handle(request, response).catch((error: unknown) => {
    console.error(error);
    if (!response.headersSent) response.writeHead(500).end('Internal Server Error');
  });
});
server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
  if (socket.writable && error.code === 'HPE_HEADER_OVERFLOW') {
    const body = Buffer.from(TOO_LONG_PAGE);
    socket.end(
      `HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${TOO_LONG_PAGE}`,
    );
  } else socket.destroy(error);
});
server.listen(Number(port), hostname, () => console.log(`▲ Vigil web server ready on http://${hostname}:${port}`));
// As `next start`: stop at once (a keep-alive browser would hold a graceful close open).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
