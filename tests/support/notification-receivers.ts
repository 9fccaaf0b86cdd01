// Real peers on loopback for the notification tests: an HTTP receiver whose paths behave like good and bad
// destinations, and an SMTP server (smtp-server) that keeps every message it is sent.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Received = { path: string; headers: http.IncomingHttpHeaders; body: string; at: number };

export type HttpReceiver = {
  url: string;
  requests: Received[];
  /** Requests answered 2xx, one per idempotency key: what a deduping receiver acted on. */
  accepted: Map<string, Received>;
  close(): Promise<void>;
};

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: Received[] = [];
  const accepted = new Map<string, Received>();
  const failures = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  const heldOnce = new Set<string>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const received = { path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(received);
      const flaky = /^\/flaky\/(\d+)/.exec(path);
      if (flaky) {
        const seen = failures.get(path) ?? 0;
        if (seen < Number(flaky[1])) {
          failures.set(path, seen + 1);
          response.writeHead(500).end('try again later');
          return;
        }
      }
      const key = String(request.headers['idempotency-key'] ?? '');
      // The first delivery of each key is left unanswered (the sender dies mid-request); a retry is answered.
      if (path.startsWith('/hang-once') && !heldOnce.has(key)) {
        heldOnce.add(key);
        hanging.add(response);
        return;
      }
      if (path.startsWith('/hang/')) {
        hanging.add(response);
        return;
      }
      if (path.startsWith('/huge')) {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const block = Buffer.alloc(1024 * 1024, 'x');
        for (let index = 0; index < 10; index++) response.write(block);
        response.end();
        return;
      }
      if (path.startsWith('/redirect')) {
        response.writeHead(302, { location: path }).end();
        return;
      }
      const duplicate = accepted.has(key);
      if (!duplicate) accepted.set(key, received);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, duplicate }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}

export type ReceivedMail = { from: string; to: string[]; raw: string };

export async function startSmtpReceiver(): Promise<{ port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((entry) => entry.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
