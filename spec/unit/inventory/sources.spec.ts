// Inventory formats and merging, checked against what ansible-inventory (ansible-core 2.14) prints.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInventory } from '../../../runner/inventory/build.js';
import { expandHostRange } from '../../../runner/inventory/host-range.js';
import { parseIniInventory } from '../../../runner/inventory/ini.js';
import { pyLiteral } from '../../../runner/inventory/py-literal.js';
import { LoadError } from '../../../runner/errors.js';
import { loadAdjacentVars, loadInventorySources } from '../../../runner/load/inventory.js';
import type { Inventory } from '../../../runner/types.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function tree(files: Record<string, string>, exec: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'play-inv-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
    if (exec.includes(rel)) chmodSync(path.join(dir, rel), 0o755);
  }
  return dir;
}

async function inventoryOf(sources: string[], cwd: string, playbookDir?: string): Promise<Inventory> {
  const raws = await loadInventorySources(sources, cwd);
  const r = buildInventory(raws, playbookDir ? await loadAdjacentVars(playbookDir, cwd) : undefined);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.inventory;
}

/** The shape `ansible-inventory --list` prints: hostvars plus each group's direct hosts and children. */
function asAnsibleList(inv: Inventory): Record<string, unknown> {
  const out: Record<string, unknown> = { _meta: { hostvars: Object.fromEntries([...inv.hosts].map(([h, v]) => [h, v.vars])) } };
  for (const g of inv.groups.values()) {
    const body: Record<string, unknown> = {};
    if (g.name !== 'all' && g.hosts.length) body['hosts'] = g.hosts;
    if (g.children.length) body['children'] = g.children;
    if (Object.keys(body).length) out[g.name] = body;
  }
  return out;
}

const sortDeep = (x: unknown): unknown =>
  Array.isArray(x) ? x.map(sortDeep) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortDeep(v)])) : x;

describe('INI inventory', () => {
  it('matches ansible-inventory --list on children, vars, ranges, inline vars and value types', async () => {
    const inv = await inventoryOf(['ansible-semantics.ini'], FIXTURES);
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'ansible-semantics.expected.json'), 'utf8'));
    const mine = asAnsibleList(inv) as Record<string, { children?: string[] }>;
    // ansible-inventory lists `all`'s children in its own order; compare members
    expect(mine['all']!.children).to.have.members(expected.all.children);
    delete mine['all'];
    delete expected.all;
    expect(sortDeep(mine)).to.deep.equal(sortDeep(expected));
  });

  it('agrees with the installed ansible-inventory, when there is one', function () {
    let out: string;
    try {
      out = execFileSync('ansible-inventory', ['--list', '-i', 'ansible-semantics.ini'], { cwd: FIXTURES, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      this.skip();
    }
    expect(JSON.parse(out)).to.deep.equal(JSON.parse(readFileSync(path.join(FIXTURES, 'ansible-semantics.expected.json'), 'utf8')));
  });

  it('types values as Python literals, and leaves the rest as strings', () => {
    expect(pyLiteral('5')).to.equal(5);
    expect(pyLiteral('-1.5e3')).to.equal(-1500);
    expect(pyLiteral('0x1f')).to.equal(31);
    expect(pyLiteral('True')).to.equal(true);
    expect(pyLiteral('None')).to.equal(null);
    expect(pyLiteral("[1, 'a', (2, 3), {'k': False}]")).to.deep.equal([1, 'a', [2, 3], { k: false }]);
    for (const s of ['true', 'yes', 'a b c', '010', '1.2.3', '{{ x }}', "'open", '']) expect(pyLiteral(s)).to.equal(s);
  });

  it('points at the line of a bad section or a host var without =', () => {
    const r = parseIniInventory('h.ini', '[web]\nw1\n[web:oops]\nx\n[db]\nd1 port\n');
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).to.deep.equal([
      "3:1 section [web:oops] is not [group], [group:vars] or [group:children]",
      "6:1 host 'd1': expected key=value, got 'port'",
    ]);
  });

  it('keeps where each host is declared', () => {
    expect(parseIniInventory('h.ini', '\n[web]\n  w[1:2] a=1\n').hostPos).to.deep.equal({ w1: { file: 'h.ini', line: 3, col: 3 }, w2: { file: 'h.ini', line: 3, col: 3 } });
  });
});

describe('host ranges', () => {
  it('expands numbers with padding, letters and strides, and refuses huge ones', () => {
    expect(expandHostRange('web[01:03].x')).to.deep.equal({ ok: true, hosts: ['web01.x', 'web02.x', 'web03.x'] });
    expect(expandHostRange('[a:c]-[1:2]')).to.deep.equal({ ok: true, hosts: ['a-1', 'a-2', 'b-1', 'b-2', 'c-1', 'c-2'] });
    expect(expandHostRange('h[0:10:5]')).to.deep.equal({ ok: true, hosts: ['h0', 'h5', 'h10'] });
    expect(expandHostRange('h[3:1]').ok).to.equal(false);
    expect(expandHostRange('h[0:99999999]').ok).to.equal(false);
  });

  it('also expand in YAML inventories, as Ansible does', () => {
    const r = buildInventory({ file: 'i.yml', data: { web: { hosts: { 'w[1:2]': { a: 1 } } } }, groupVars: {}, hostVars: {}, hostPos: {} });
    expect(r.ok && [...r.inventory.hosts.keys()]).to.deep.equal(['w1', 'w2']);
  });
});

describe('inventory sources', () => {
  it('reads a `host1,host2:2222,` list into ungrouped', async () => {
    const inv = await inventoryOf(['h1, h2:2222,'], tmpdir());
    expect([...inv.hosts.keys()]).to.deep.equal(['h1', 'h2']);
    expect(inv.hosts.get('h2')!.vars).to.deep.equal({ ansible_port: 2222 });
    expect(inv.groups.get('ungrouped')!.hosts).to.deep.equal(['h1', 'h2']);
  });

  it('refuses a source that does not exist, with a hint for host lists', async () => {
    const err = await inventoryOf(['nowhere'], tmpdir()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LoadError);
    expect((err as LoadError).diagnostics[0]!.message).to.match(/inventory source nowhere not found .*'nowhere,'/);
  });

  it('merges two -i sources: groups unite, later values win, each source keeps its group_vars', async () => {
    const dir = tree({
      'a/hosts.yml': 'web:\n  hosts:\n    w1: {v: a, only_a: 1}\n',
      'a/group_vars/web.yml': 'gv: a\n',
      'b/hosts': '[web]\nw1 v=b\nw2\n[db]\nd1\n',
      'b/group_vars/web.yml': 'gv: b\n',
    });
    const inv = await inventoryOf(['a/hosts.yml', 'b/hosts'], dir);
    expect([...inv.hosts.keys()]).to.deep.equal(['w1', 'w2', 'd1']);
    expect(inv.hosts.get('w1')!.vars).to.deep.equal({ v: 'b', only_a: 1, gv: 'b' });
    expect(inv.groups.get('web')!.hosts).to.deep.equal(['w1', 'w2']);
  });

  it('reads a directory: every file (YAML, INI, scripts) in name order, skipping ignored names', async () => {
    const dir = tree({
      'inv/01-static.yml': 'web:\n  hosts:\n    w1:\n',
      'inv/02-more': '[db]\nd1\n',
      'inv/notes.md': 'not an inventory',
      'inv/old.ini': '[x]\nignored\n',
      'inv/.hidden': '[x]\nhidden\n',
      'inv/sub/03.yaml': 'cache:\n  hosts:\n    c1:\n',
      'inv/group_vars/all.yml': 'from_dir: 1\n',
    });
    const inv = await inventoryOf(['inv'], dir);
    expect([...inv.hosts.keys()]).to.deep.equal(['w1', 'd1', 'c1']);
    expect(inv.hosts.get('c1')!.vars).to.deep.equal({ from_dir: 1 });
  });

  it('runs an executable dynamic inventory with --list and _meta.hostvars', async () => {
    const script = `#!/bin/sh\n[ "$1" = --list ] || exit 3\necho '{"web": {"hosts": ["w1", "w2"], "vars": {"g": 1}, "children": ["canary"]}, "canary": ["w2"], "_meta": {"hostvars": {"w1": {"ansible_host": "{{ not_a_template }}"}}}}'\n`;
    const dir = tree({ 'dyn.sh': script }, ['dyn.sh']);
    const inv = await inventoryOf(['dyn.sh'], dir);
    expect(inv.hosts.get('w1')!.vars).to.deep.equal({ g: 1, ansible_host: '{{ not_a_template }}' });
    expect(inv.hosts.get('w2')!.groups).to.have.members(['all', 'web', 'canary']);
  });

  it('asks --host NAME for each host when --list has no _meta', async () => {
    const script = `#!/bin/sh\ncase "$1" in --list) echo '{"db": ["d1", "d2"]}';; --host) echo "{\\"who\\": \\"$2\\"}";; *) exit 3;; esac\n`;
    const dir = tree({ 'dyn': script }, ['dyn']);
    const inv = await inventoryOf(['dyn'], dir);
    expect(inv.hosts.get('d2')!.vars).to.deep.equal({ who: 'd2' });
  });

  it('reads an executable file without #! as data, as Ansible\'s script plugin does', async () => {
    const dir = tree({ 'hosts': '[web]\nw1\n' }, ['hosts']);
    const inv = await inventoryOf(['hosts'], dir);
    expect(inv.groups.get('web')!.hosts).to.deep.equal(['w1']);
  });

  it('reports a dynamic inventory that fails, with its stderr', async () => {
    const dir = tree({ 'bad': '#!/bin/sh\necho "no cloud credentials" >&2\nexit 2\n' }, ['bad']);
    const err = (await inventoryOf(['bad'], dir).catch((e: unknown) => e)) as LoadError;
    expect(err.diagnostics[0]).to.include({ file: 'bad', line: 1 });
    expect(err.diagnostics[0]!.message).to.equal('dynamic inventory bad --list failed (exit 2): no cloud credentials');
  });
});

describe('variable precedence across inventory and playbook directories', () => {
  it('orders inline group vars < group_vars/all < group_vars/<group>, inventory < playbook, then host vars', async () => {
    const dir = tree({
      'inv/hosts': '[web]\nw1 h_inline=inline\n[web:vars]\nall_vs_web=web_inline\nweb_inline=1\n[all:vars]\na=inline\n',
      'inv/group_vars/all.yml': 'all_vs_web: gv_all\ngv_all_src: inventory\n',
      'inv/group_vars/web.yml': 'web_file: inventory\n',
      'inv/host_vars/w1.yml': 'h_inline: inv_host_vars\nhv: inventory\n',
      'play/group_vars/all.yml': 'gv_all_src: playbook\n',
      'play/group_vars/web.yml': 'web_file: playbook\n',
      'play/host_vars/w1.yml': 'hv: playbook\n',
    });
    const inv = await inventoryOf(['inv/hosts'], dir, path.join(dir, 'play'));
    expect(inv.hosts.get('w1')!.vars).to.deep.equal({
      a: 'inline',
      all_vs_web: 'gv_all', // ansible-core: inventory group vars < group_vars/all
      web_inline: 1,
      gv_all_src: 'playbook',
      web_file: 'playbook',
      h_inline: 'inv_host_vars',
      hv: 'playbook',
    });
  });
});
