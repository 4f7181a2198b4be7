import { expect } from 'chai';
import { buildInventory } from '../../../runner/inventory/build.js';
import type { Inventory, RawInventory, Vars } from '../../../runner/types.js';

function raw(data: unknown, extra: Partial<RawInventory> = {}): RawInventory {
  return { file: 'inv.yml', data, groupVars: {}, hostVars: {}, hostPos: {}, ...extra };
}

function ok(r: ReturnType<typeof buildInventory>): Inventory {
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.inventory;
}

describe('buildInventory', () => {
  const data = {
    all: {
      vars: { v: 'all', a: 'all' },
      hosts: { solo: null },
      children: {
        web: {
          vars: { v: 'web', w: 'web' },
          hosts: { web1: { ansible_host: '10.0.0.1' }, web2: null },
          children: { canary: { hosts: { web2: { v: 'inline' } }, vars: { v: 'canary' } } },
        },
        db: { hosts: { db1: null, web1: null }, vars: { v: 'db' } },
      },
    },
  };

  it('resolves groups, ancestors, `all` and `ungrouped`', () => {
    const inv = ok(buildInventory(raw(data)));
    expect([...inv.hosts.keys()]).to.deep.equal(['solo', 'web1', 'web2', 'db1']);
    expect(inv.hosts.get('web2')!.groups).to.have.members(['all', 'web', 'canary']);
    expect(inv.hosts.get('web1')!.groups).to.have.members(['all', 'web', 'db']);
    expect(inv.hosts.get('solo')!.groups).to.have.members(['all', 'ungrouped']);
    expect(inv.groups.get('ungrouped')!.hosts).to.deep.equal(['solo']);
    expect(inv.groups.get('all')!.children).to.include.members(['web', 'db', 'ungrouped']);
    expect(inv.groups.get('web')!.children).to.deep.equal(['canary']);
  });

  it('merges vars: all < parent < child, same depth by name, then host vars, then host_vars/', () => {
    const inv = ok(buildInventory(raw(data, { hostVars: { web1: { a: 'host_vars' } } })));
    expect(inv.hosts.get('web2')!.vars).to.include({ v: 'inline', w: 'web', a: 'all' });
    expect(inv.hosts.get('db1')!.vars).to.include({ v: 'db', a: 'all' });
    // web1 is in db and web (both depth 1): 'web' sorts after 'db', so web wins
    expect(inv.hosts.get('web1')!.vars).to.include({ v: 'web', a: 'host_vars', ansible_host: '10.0.0.1' });
    const canaryOnly = ok(buildInventory(raw(data, { hostVars: {} })));
    expect(canaryOnly.hosts.get('solo')!.vars).to.deep.equal({ v: 'all', a: 'all' });
  });

  it('puts group_vars/ files over the inline vars of that group only', () => {
    const inv = ok(buildInventory(raw(data, { groupVars: { web: { v: 'gv-web', g: 1 }, all: { a: 'gv-all' } } })));
    expect(inv.hosts.get('web1')!.vars).to.include({ v: 'gv-web', g: 1, a: 'gv-all' });
    expect(inv.hosts.get('web2')!.vars).to.include({ v: 'inline' }); // host var beats group_vars
    expect(inv.groups.get('web')!.vars).to.include({ v: 'gv-web', w: 'web' });
  });

  it('treats top-level groups other than all as children of all', () => {
    const inv = ok(buildInventory(raw({ web: { hosts: { w1: null } }, db: { hosts: { d1: { x: 1 } } } })));
    expect(inv.groups.get('all')!.children).to.include.members(['web', 'db']);
    expect(inv.hosts.get('d1')!.groups).to.have.members(['all', 'db']);
    expect(inv.hosts.get('d1')!.vars).to.deep.equal({ x: 1 });
  });

  it('lets a deeper group win even when declared first', () => {
    const inv = ok(
      buildInventory(raw({ all: { children: { zz: { children: { aa: { hosts: { h: null }, vars: { v: 'child' } } }, vars: { v: 'parent' } } } } })),
    );
    expect(inv.hosts.get('h')!.vars['v']).to.equal('child');
  });

  it('orders groups of equal depth by ansible_group_priority before name', () => {
    const d = { a: { hosts: { h: null }, vars: { v: 'a', ansible_group_priority: 10 } }, b: { hosts: { h: null }, vars: { v: 'b' } } };
    expect(ok(buildInventory(raw(d))).hosts.get('h')!.vars['v']).to.equal('a');
    expect(ok(buildInventory(raw({ a: { hosts: { h: null }, vars: { v: 'a' } }, b: d.b }))).hosts.get('h')!.vars['v']).to.equal('b');
  });

  it('reports a group that is its own ancestor', () => {
    const r = buildInventory(raw({ a: { children: { b: { hosts: { h: null } } } }, b: { children: { a: null } } }, { hostPos: { h: { file: 'inv.yml', line: 3, col: 9 } } }));
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    const msgs = r.diagnostics.map((d) => d.message);
    expect(msgs.some((m) => /group 'a' is its own ancestor/.test(m))).to.equal(true);
    expect(msgs.some((m) => /group 'b' is its own ancestor/.test(m))).to.equal(true);
    expect(r.diagnostics.find((d) => /'b'/.test(d.message))).to.include({ line: 3, col: 9 });
  });

  it('reports bad ports with the host position', () => {
    for (const port of ['abc', 0, 70000, 22.5]) {
      const r = buildInventory(raw({ all: { hosts: { h: { ansible_port: port } } } }, { hostPos: { h: { file: 'inv.yml', line: 2, col: 5 } } }));
      expect(r.ok, String(port)).to.equal(false);
      if (!r.ok) expect(r.diagnostics[0]).to.deep.include({ file: 'inv.yml', line: 2, col: 5 });
      if (!r.ok) expect(r.diagnostics[0]!.message).to.match(/ansible_port must be an integer/);
    }
    ok(buildInventory(raw({ all: { hosts: { h: { ansible_port: '2222' }, g: { ansible_port: 2200 } } } })));
  });

  it('reports two names for one address:port, but not distinct ports', () => {
    const r = buildInventory(raw({ all: { hosts: { a: { ansible_host: '10.0.0.5' }, b: { ansible_host: '10.0.0.5', ansible_port: 22 } } } }));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.diagnostics[0]!.message).to.equal("host 'b': address 10.0.0.5:22 also used by 'a'");
    ok(buildInventory(raw({ all: { hosts: { a: { ansible_host: '127.0.0.1', ansible_port: 2201 }, b: { ansible_host: '127.0.0.1', ansible_port: 2202 } } } })));
  });

  it('rejects an unsupported ansible_connection and malformed shapes', () => {
    const r = buildInventory(raw({ all: { hosts: { h: { ansible_connection: 'docker' } } } }));
    expect(r.ok).to.equal(false);
    expect(buildInventory(raw(['h1'])).ok).to.equal(false);
    expect(buildInventory(raw({ all: { hosts: ['h1'] } })).ok).to.equal(false);
  });

  it('keeps the source position of each host', () => {
    const pos = { file: 'inv.yml', line: 4, col: 7 };
    const inv = ok(buildInventory(raw({ all: { hosts: { h: null } } }, { hostPos: { h: pos } })));
    expect(inv.hosts.get('h')!.src).to.deep.equal(pos);
    const vars: Vars = inv.hosts.get('h')!.vars;
    expect(vars).to.deep.equal({});
  });
});
