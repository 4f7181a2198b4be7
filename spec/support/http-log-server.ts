// A loopback HTTP server for get_url and uri specs: routes by path, a log of every request (method,
// path, headers, body) to assert what was sent, and a hook that runs while a slow response is held.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoggedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface LogServer {
  url: string;
  log: LoggedRequest[];
  routes: Map<string, Route>;
  close(): Promise<void>;
}

export async function startLogServer(host = '127.0.0.1'): Promise<LogServer> {
  const log: LoggedRequest[] = [];
  const routes = new Map<string, Route>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      log.push({ method: req.method ?? '', path, headers: { ...req.headers }, body });
      const route = routes.get(path.split('?')[0]!);
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      Promise.resolve(route(req, res, body)).catch((e: unknown) => res.writeHead(500).end(String(e)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    log,
    routes,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A static file route that honours If-Modified-Since (304) as Python's http.server does. */
export function fileRoute(content: () => Buffer | string, mtime: () => Date, extra: Record<string, string> = {}): Route {
  return (req, res) => {
    const ims = req.headers['if-modified-since'];
    const modified = Math.floor(mtime().getTime() / 1000) * 1000;
    if (ims && Date.parse(ims) >= modified) {
      res.writeHead(304).end();
      return;
    }
    const body = Buffer.from(content());
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'last-modified': new Date(modified).toUTCString(), ...extra });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/** Basic auth: a 401 challenge without the right credentials, as a server that wants them does. */
export function basicAuth(user: string, password: string, inner: Route): Route {
  const want = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return (req, res, body) => {
    if (req.headers.authorization !== want) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="play"', 'content-type': 'text/plain' }).end('auth please\n');
      return;
    }
    return inner(req, res, body);
  };
}
