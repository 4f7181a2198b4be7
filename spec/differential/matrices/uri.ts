// uri against an HTTP server on the controller's loopback (the test hosts share its network):
// GET text and JSON, POST json and form bodies, headers, status codes, redirects followed or not,
// basic auth, HEAD, a download to dest (twice), creates, and a closed port. Results are checked by
// assert tasks, so a field play returns differently fails under play only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DiffCase, DiffMatrix } from '../matrix.js';

function route(req: IncomingMessage, body: string, res: ServerResponse): void {
  const send = (status: number, text: string, type = 'text/plain', extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...extra });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/text': return send(200, 'hello\n');
    case '/json': return send(200, JSON.stringify({ a: 1, b: [1, 2], s: 'x' }), 'application/json');
    case '/echo': return send(200, JSON.stringify({ method: req.method, body, ctype: req.headers['content-type'] ?? null, x: req.headers['x-diff'] ?? null }), 'application/json');
    case '/missing': return send(404, 'no\n');
    case '/created': return send(201, '{"id": 7}', 'application/json');
    case '/redirect': return send(302, '', 'text/plain', { location: '/text' });
    case '/auth': {
      const ok = req.headers.authorization === `Basic ${Buffer.from('diff:secret').toString('base64')}`;
      return ok ? send(200, 'in\n') : send(401, 'who\n', 'text/plain', { 'www-authenticate': 'Basic realm="d"' });
    }
    case '/file': return send(200, 'downloaded\n', 'application/octet-stream');
    default: return send(500, 'unknown route\n');
  }
}

async function serve(): Promise<{ vars: Record<string, unknown>; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => route(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { vars: { base: `http://127.0.0.1:${port}` }, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

const CHECK = 'docs/check-mode.md: Ansible skips uri under --check; play makes GET and HEAD requests without dest (read-only) and plans the rest';

/** Under --check Ansible's uri registers nothing to assert on: the asserts are for real runs. */
const realRunsOnly = (c: DiffCase): DiffCase => ({
  ...c, differs: { check: CHECK },
  tasks: c.tasks.map((t) => ('assert' in t ? { ...t, when: 'not ansible_check_mode' } : t)),
});

export const URI: DiffMatrix = {
  module: 'uri',
  serve,
  setup: 'mkdir -p /srv/uri && touch /srv/uri/exists',
  cases: ([
    {
      name: 'GET text with return_content', roots: [],
      tasks: [{ uri: { url: '{{ base }}/text', return_content: true }, register: 'r' }, { assert: { that: ["r.content == 'hello\\n'", 'r.status == 200', 'not r.changed', "r.url == base + '/text'", "r.content_type == 'text/plain'"] } }],
    },
    { name: 'GET JSON', roots: [], tasks: [{ uri: { url: '{{ base }}/json' }, register: 'r' }, { assert: { that: ['r.json.a == 1', 'r.json.b == [1, 2]', 'r.content is not defined'] } }] },
    {
      name: 'POST a json body with a header', roots: [],
      tasks: [
        { uri: { url: '{{ base }}/echo', method: 'POST', body_format: 'json', body: { k: 'v', n: 2 }, headers: { 'X-Diff': 'present' } }, register: 'r' },
        { assert: { that: ["r.json.method == 'POST'", "(r.json.body | from_json).k == 'v'", "r.json.ctype == 'application/json'", "r.json.x == 'present'"] } },
      ],
    },
    {
      name: 'POST a form body', roots: [],
      tasks: [{ uri: { url: '{{ base }}/echo', method: 'POST', body_format: 'form-urlencoded', body: { a: 'b c', d: 'e' } }, register: 'r' }, { assert: { that: ["r.json.body == 'a=b+c&d=e'", "r.json.ctype == 'application/x-www-form-urlencoded'"] } }],
    },
    { name: 'a 404 fails', roots: [], tasks: [{ uri: { url: '{{ base }}/missing' } }] },
    { name: 'a 404 expected', roots: [], tasks: [{ uri: { url: '{{ base }}/missing', status_code: 404 }, register: 'r' }, { assert: { that: ['r.status == 404'] } }] },
    { name: 'a list of status codes', roots: [], tasks: [{ uri: { url: '{{ base }}/created', method: 'POST', status_code: [200, 201] }, register: 'r' }, { assert: { that: ['r.status == 201', 'r.json.id == 7'] } }] },
    { name: 'a redirect followed', roots: [], tasks: [{ uri: { url: '{{ base }}/redirect', return_content: true }, register: 'r' }, { assert: { that: ['r.status == 200', "r.content == 'hello\\n'", 'r.redirected'] } }] },
    { name: 'a redirect not followed', roots: [], tasks: [{ uri: { url: '{{ base }}/redirect', follow_redirects: 'none' } }] },
    { name: 'basic auth', roots: [], tasks: [{ uri: { url: '{{ base }}/auth', url_username: 'diff', url_password: 'secret', force_basic_auth: true }, register: 'r' }, { assert: { that: ['r.status == 200'] } }] },
    { name: 'basic auth missing', roots: [], tasks: [{ uri: { url: '{{ base }}/auth' } }] },
    { name: 'HEAD', roots: [], tasks: [{ uri: { url: '{{ base }}/text', method: 'HEAD' }, register: 'r' }, { assert: { that: ['r.status == 200'] } }] },
    { name: 'download to dest, twice', roots: ['srv/uri/dl'], tasks: [{ uri: { url: '{{ base }}/file', dest: '/srv/uri/dl', mode: '0640' } }, { uri: { url: '{{ base }}/file', dest: '/srv/uri/dl' } }] },
    { name: 'creates an existing path', roots: [], tasks: [{ uri: { url: '{{ base }}/missing', creates: '/srv/uri/exists' } }] },
    { name: 'removes a missing path', roots: [], tasks: [{ uri: { url: '{{ base }}/missing', removes: '/srv/uri/none' } }] },
    { name: 'a closed port', roots: [], tasks: [{ uri: { url: 'http://127.0.0.1:1/x', timeout: 5 } }] },
  ] as DiffCase[]).map(realRunsOnly),
};
