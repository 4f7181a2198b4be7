import { expect } from 'chai';
import { buildInventory } from '../../../runner/inventory/build.js';
import { VAR_PRECEDENCE, magicVars, mergeVars, varSource, type VarLayers } from '../../../runner/vars/merge.js';

describe('mergeVars precedence', () => {
  const full: Required<VarLayers> = {
    roleDefaults: { v: 'roleDefaults' },
    hostVars: { v: 'hostVars' },
    facts: { v: 'facts' },
    playVars: { v: 'playVars' },
    roleVars: { v: 'roleVars' },
    taskVars: { v: 'taskVars' },
    registered: { v: 'registered' },
    extraVars: { v: 'extraVars' },
    magic: { v: 'magic' },
  };

  it('documents the order, lowest first', () => {
    expect(VAR_PRECEDENCE).to.deep.equal(['roleDefaults', 'hostVars', 'facts', 'playVars', 'roleVars', 'taskVars', 'registered', 'extraVars', 'magic']);
  });

  // Remove the winning layer in turn: the next one down must win, all the way to the bottom.
  for (let top = VAR_PRECEDENCE.length - 1; top >= 0; top--) {
    const kept = VAR_PRECEDENCE.slice(0, top + 1);
    it(`with layers up to ${kept[top]}, ${kept[top]} wins`, () => {
      const layers: VarLayers = {};
      for (const k of kept) layers[k] = full[k];
      expect(mergeVars(layers)['v']).to.equal(kept[top]);
      expect(varSource(layers, 'v')).to.equal(kept[top]);
    });
  }

  // Remove each single layer: the highest remaining one wins.
  for (const removed of VAR_PRECEDENCE) {
    it(`without ${removed}, the highest remaining layer wins`, () => {
      const layers: VarLayers = { ...full };
      delete layers[removed];
      const expected = VAR_PRECEDENCE.filter((l) => l !== removed).at(-1);
      expect(mergeVars(layers)['v']).to.equal(expected);
    });
  }

  it('replaces dicts whole (hash_behaviour=replace) and keeps other keys', () => {
    const out = mergeVars({ roleDefaults: { cfg: { a: 1, b: 2 }, only: 'low' }, playVars: { cfg: { a: 9 } } });
    expect(out).to.deep.equal({ cfg: { a: 9 }, only: 'low' });
  });

  it('returns an empty object for no layers and does not mutate inputs', () => {
    const low = { x: 1 };
    expect(mergeVars({})).to.deep.equal({});
    mergeVars({ roleDefaults: low, extraVars: { x: 2 } });
    expect(low).to.deep.equal({ x: 1 });
  });
});

describe('magicVars', () => {
  const r = buildInventory({
    file: 'inv.yml',
    data: { all: { vars: { region: 'eu' }, hosts: { lone: null }, children: { web: { hosts: { 'w1.example.com': { port: 80 }, w2: null } }, db: { hosts: { d1: null } } } } },
    groupVars: {},
    hostVars: {},
    hostPos: {},
  });
  if (!r.ok) throw new Error('inventory');
  const inv = r.inventory;

  it('builds inventory_hostname, group_names, groups, play_hosts and hostvars', () => {
    const m = magicVars(inv, 'w1.example.com', ['w1.example.com', 'w2'], { w2: { ansible_facts: { os: 'debian' } } });
    expect(m['inventory_hostname']).to.equal('w1.example.com');
    expect(m['inventory_hostname_short']).to.equal('w1');
    expect(m['group_names']).to.deep.equal(['web']);
    expect(m['play_hosts']).to.deep.equal(['w1.example.com', 'w2']);
    const groups = m['groups'] as Record<string, string[]>;
    expect(groups['all']).to.deep.equal(['lone', 'w1.example.com', 'w2', 'd1']);
    expect(groups['web']).to.deep.equal(['w1.example.com', 'w2']);
    expect(groups['ungrouped']).to.deep.equal(['lone']);
    const hostvars = m['hostvars'] as Record<string, Record<string, unknown>>;
    expect(hostvars['w1.example.com']).to.include({ port: 80, region: 'eu', inventory_hostname: 'w1.example.com' });
    expect(hostvars['w2']!['ansible_facts']).to.deep.equal({ os: 'debian' });
    expect(magicVars(inv, 'lone', [])['group_names']).to.deep.equal(['ungrouped']);
  });

  it('is the top layer: magic names cannot be overridden by -e', () => {
    const merged = mergeVars({ extraVars: { inventory_hostname: 'spoof' }, magic: magicVars(inv, 'd1', ['d1']) });
    expect(merged['inventory_hostname']).to.equal('d1');
  });
});
