import { expect } from 'chai';
import { buildInventory } from '../../../runner/inventory/build.js';
import { connectionSpec, selectHosts } from '../../../runner/inventory/select.js';
import type { Inventory, InventoryHost } from '../../../runner/types.js';

function inventory(): Inventory {
  const r = buildInventory({
    file: 'inv.yml',
    data: {
      all: {
        hosts: { solo: null },
        children: {
          web: { hosts: { web1: { ansible_host: '10.0.0.1' }, web2: { ansible_host: '10.0.0.2' }, webx: { ansible_host: '10.0.0.3' } } },
          db: { hosts: { db1: { ansible_host: '10.0.1.1' }, web2: null } },
          prod: { children: { web: null, db: null } },
          staging: null,
        },
      },
    },
    groupVars: {},
    hostVars: {},
    hostPos: {},
  });
  if (!r.ok) throw new Error('inventory');
  return r.inventory;
}

function hosts(pattern: string, limit?: string): string[] {
  const r = selectHosts(inventory(), pattern, limit);
  if (!r.ok) throw new Error(r.message);
  return r.hosts;
}

describe('selectHosts', () => {
  const cases: Array<[string, string | undefined, string[]]> = [
    ['all', undefined, ['solo', 'web1', 'web2', 'webx', 'db1']],
    ['*', undefined, ['solo', 'web1', 'web2', 'webx', 'db1']],
    ['web', undefined, ['web1', 'web2', 'webx']],
    ['prod', undefined, ['web1', 'web2', 'webx', 'db1']],
    ['db1', undefined, ['db1']],
    ['db,web1', undefined, ['web1', 'web2', 'db1']], // inventory order, not pattern order
    ['db:web1', undefined, ['web1', 'web2', 'db1']],
    ['web*', undefined, ['web1', 'web2', 'webx']],
    ['web?', undefined, ['web1', 'web2', 'webx']],
    ['web[12]', undefined, ['web1', 'web2']],
    ['~web\\d', undefined, ['web1', 'web2']],
    ['web:&db', undefined, ['web2']],
    ['&db,web', undefined, ['web2']], // order of terms does not matter
    ['web:!db', undefined, ['web1', 'webx']],
    ['!web', undefined, ['solo', 'db1']],
    ['all:!prod', undefined, ['solo']],
    ['prod', 'web1,db1', ['web1', 'db1']],
    ['prod', 'web*:!webx', ['web1', 'web2']],
    ['all', '!db', ['solo', 'web1', 'webx']],
    [' web1 , solo ', undefined, ['solo', 'web1']],
  ];
  for (const [pattern, limit, expected] of cases) {
    it(`'${pattern}'${limit ? ` --limit '${limit}'` : ''} -> ${expected.join(',')}`, () => {
      expect(hosts(pattern, limit)).to.deep.equal(expected);
    });
  }

  it('fails with known groups and hosts when nothing matches', () => {
    const r = selectHosts(inventory(), 'nomatch*');
    expect(r).to.deep.equal({
      ok: false,
      message: "pattern 'nomatch*' matches no host; known groups: all, web, db, prod, staging, ungrouped; hosts: solo, web1, web2, webx, db1",
    });
    const empty = selectHosts(inventory(), 'web:&db:!web2');
    expect(empty.ok).to.equal(false);
  });

  it('names an unknown plain name in a list, even in an exclusion', () => {
    const r = selectHosts(inventory(), 'web,wbe1');
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.message).to.match(/'wbe1' is neither a host nor a group/);
    const x = selectHosts(inventory(), 'web:!dbb');
    if (!x.ok) expect(x.message).to.match(/'dbb'/);
    expect(x.ok).to.equal(false);
  });

  it('fails when --limit leaves nothing, naming both', () => {
    const r = selectHosts(inventory(), 'db', 'web1');
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.message).to.match(/^pattern 'db' with --limit 'web1' matches no host; known groups/);
    const bad = selectHosts(inventory(), 'db', 'nope');
    if (!bad.ok) expect(bad.message).to.match(/^--limit: .*'nope'/);
    expect(bad.ok).to.equal(false);
  });

  it('empty group selects nothing but is not unknown', () => {
    const r = selectHosts(inventory(), 'staging,db1');
    expect(r).to.deep.equal({ ok: true, hosts: ['db1'] });
  });
});

describe('connectionSpec', () => {
  const host = (name: string, vars: Record<string, unknown>): InventoryHost => ({ name, groups: ['all'], vars });
  it('defaults to ssh <local user>@name:22, as OpenSSH does', () => {
    expect(connectionSpec(host('h1', {}), undefined, { localUser: 'root' })).to.deep.equal({ host: 'h1', kind: 'ssh', address: 'h1', port: 22, user: 'root' });
  });
  it('reads ansible_host, ansible_port, ansible_user and the key file', () => {
    const spec = connectionSpec(host('h1', { ansible_host: '10.1.1.1', ansible_port: '2222', ansible_user: 'ops', ansible_ssh_private_key_file: '/k' }));
    expect(spec).to.deep.equal({ host: 'h1', kind: 'ssh', address: '10.1.1.1', port: 2222, user: 'ops', privateKeyFile: '/k', identityFiles: ['/k'] });
  });
  it('is local for ansible_connection=local and for a bare localhost', () => {
    expect(connectionSpec(host('box', { ansible_connection: 'local' })).kind).to.equal('local');
    expect(connectionSpec(host('localhost', {})).kind).to.equal('local');
    expect(connectionSpec(host('localhost', { ansible_host: '127.0.0.1', ansible_port: 2222 })).kind).to.equal('ssh');
  });
});
