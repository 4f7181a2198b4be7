// A stand-in for the Datadog HTTP API on 127.0.0.1: key checks, the endpoints the modules use,
// injected failures (429 with rate-limit headers, 500) and call counters at /_standin/stats.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { route, v2Error, type Reply } from './routes.js';
import { loadData, saveData } from './store.js';

export interface DatadogApiOptions {
  port?: number;
  dataFile: string;
  apiKey: string;
  appKey: string;
  /** The site the keys' organization lives on (default datadoghq.com). Requests may name a site as
   *  the first path segment (http://127.0.0.1:8703/datadoghq.eu/api/v1/...), standing in for
   *  api.<site>: on any other site the keys are unknown, so every call is refused with 403. */
  site?: string;
  /** Clock for created/modified; defaults to the real one. */
  now?: () => Date;
}

export interface Stats {
  /** Write calls received (POST/PUT/PATCH/DELETE, monitor validate excluded), including failed ones. */
  writes: number;
  /** All API requests received (the /_standin paths excluded). */
  requests: number;
  /** Requests per site they were sent to. */
  sites: Record<string, number>;
}

export interface DatadogApi {
  url: string;
  stop(): Promise<void>;
  /** The next `count` API requests answer `status`; 429 carries X-RateLimit-* headers (reset 1 s). */
  failNext(status: 429 | 500, count: number, headers?: Record<string, string>): void;
  stats(): Stats;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function startDatadogApi(opts: DatadogApiOptions): Promise<DatadogApi> {
  const stats: Stats = { writes: 0, requests: 0, sites: {} };
  const site = opts.site ?? 'datadoghq.com';
  let failures: { status: number; left: number; headers: Record<string, string> } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const now = opts.now ?? (() => new Date());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    if (url.pathname === '/_standin/stats') return send(res, { status: 200, body: stats });
    const m = /^\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)(\/.*)$/.exec(url.pathname);
    const reqSite = m ? m[1]! : site;
    const path = m ? m[2]! : url.pathname;
    stats.requests++;
    stats.sites[reqSite] = (stats.sites[reqSite] ?? 0) + 1;
    const v2 = path.startsWith('/api/v2/');
    const forbidden = (detail: string): void =>
      send(res, v2 ? v2Error(403, 'Forbidden', [{ pointer: '', detail }]) : { status: 403, body: { errors: ['Forbidden'] } });
    if (WRITE_METHODS.has(method) && path !== '/api/v1/monitor/validate') stats.writes++;
    if (failures && failures.left > 0) {
      failures.left--;
      const f = failures;
      if (f.left === 0) failures = undefined;
      return send(res, { status: f.status, body: { errors: [f.status === 429 ? 'Too many requests' : 'Internal Server Error'] } }, f.headers);
    }
    const apiKey = header(req, 'dd-api-key');
    // A key is only known on its organization's site.
    if (apiKey !== opts.apiKey || reqSite !== site) return forbidden('Forbidden: the API key is not valid');
    const isValidate = path === '/api/v1/validate';
    if (!isValidate && header(req, 'dd-application-key') !== opts.appKey) return forbidden('Forbidden: the application key is not valid');
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, { status: 400, body: { errors: ['Malformed JSON body'] } });
      }
    }
    const data = await loadData(opts.dataFile);
    const reply = route(data, { method, path, query: url.searchParams, body, now: now() });
    if (reply.changed) await saveData(opts.dataFile, data);
    send(res, reply);
  }

  const server = createServer((req, res) => {
    // One request at a time: each reads, changes and writes the data file whole.
    queue = queue.then(() =>
      handle(req, res).catch((e: unknown) => {
        send(res, { status: 500, body: { errors: [`stand-in error: ${e instanceof Error ? e.message : String(e)}`] } });
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
    failNext(status, count, headers) {
      const defaults: Record<string, string> =
        status === 429
          ? { 'X-RateLimit-Reset': '1', 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Period': '60' }
          : {};
      failures = count > 0 ? { status, left: count, headers: { ...defaults, ...headers } } : undefined;
    },
    stats: () => ({ ...stats }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
