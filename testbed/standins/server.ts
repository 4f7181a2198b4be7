// A small static file server bound to loopback (GET/HEAD; directories serve index.html).
import { createReadStream, promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.public': 'application/pgp-keys',
  '.gpg': 'application/pgp-signature',
  '.gz': 'application/gzip',
  '.deb': 'application/vnd.debian.binary-package',
  '.whl': 'application/zip',
  '.json': 'application/json',
};

export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serve root on host:port (port 0 = random). */
export async function serveDir(root: string, port = 0, host = '127.0.0.1'): Promise<StaticServer> {
  const base = normalize(root);
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      let rel: string;
      try {
        rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      } catch {
        res.writeHead(400).end();
        return;
      }
      let file = normalize(join(base, rel));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end();
        return;
      }
      let st = await fs.stat(file).catch(() => undefined);
      if (st?.isDirectory()) {
        if (!rel.endsWith('/')) {
          res.writeHead(301, { Location: `${req.url?.split('?')[0]}/` }).end();
          return;
        }
        file = join(file, 'index.html');
        st = await fs.stat(file).catch(() => undefined);
      }
      if (!st?.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': String(st.size),
        'Last-Modified': st.mtime.toUTCString(),
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).on('error', () => res.destroy()).pipe(res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
