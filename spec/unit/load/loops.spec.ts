// Loops: loop: and Ansible's with_* lookups, expanded as ansible-core 2.14 expands them. The expected
// items were recorded from ansible-playbook 2.14 on this machine (each case registered, then
// `results | map(attribute='item')`), on the same values and the same files.
import * as path from 'node:path';
import { expect } from 'chai';
import { expandLoop, loopItemVars, sequence, type LoopFs } from '../../../runner/load/loops.js';
import type { LoopWith } from '../../../runner/types.js';

const ROOT = '/p';
const FILES = new Set(['/p/files/a.conf', '/p/files/b.conf', '/p/files/.hidden.conf', '/p/files/c.txt', '/p/vars/Debian.yml', '/p/roles/r/vars/RedHat.yml']);
const fs: LoopFs = {
  isFile: (abs) => FILES.has(abs),
  list: (dir) => [...FILES].filter((f) => path.dirname(f) === dir).map((f) => path.basename(f)),
};

/** Renders `{{ name }}` from vars; an undefined name throws, as the template engine does. */
function render(vars: Record<string, unknown>) {
  const one = (v: unknown): unknown => {
    if (typeof v !== 'string') return Array.isArray(v) ? v.map(one) : v;
    return v.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => {
      if (!(k in vars)) throw new Error(`'${k}' is undefined`);
      return String(vars[k]);
    });
  };
  return one;
}

function items(form: LoopWith, loop: unknown, opts: { module?: string; baseDir?: string; vars?: Record<string, unknown> } = {}): unknown[] {
  return expandLoop({ loop, loopWith: form, module: opts.module ?? 'debug', baseDir: opts.baseDir ?? ROOT, playbookDir: ROOT }, render(opts.vars ?? {}), fs);
}

describe('loops (with_* as ansible-core expands them)', () => {
  const cases: Array<[LoopWith, unknown, unknown[]]> = [
    ['items', [1, [2, 3], [[4]]], [1, 2, 3, [4]]],
    ['list', [1, [2, 3]], [1, [2, 3]]],
    ['dict', { a: 1, b: { c: 2 } }, [{ key: 'a', value: 1 }, { key: 'b', value: { c: 2 } }]],
    ['together', [[1, 2, 3], ['a', 'b']], [[1, 'a'], [2, 'b'], [3, null]]],
    ['nested', [[1, 2], ['a', 'b']], [[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b']]],
    ['sequence', 'start=1 end=10 stride=3 format=n%02d', ['n01', 'n04', 'n07', 'n10']],
    ['sequence', 'count=3', ['1', '2', '3']],
    ['sequence', '4-8/2', ['4', '6', '8']],
    ['indexed_items', ['a', ['b', 'c']], [[0, 'a'], [1, 'b'], [2, 'c']]],
    ['subelements', [[{ n: 1, l: ['a', 'b'] }, { n: 2, l: ['c'] }], 'l'], [[{ n: 1 }, 'a'], [{ n: 1 }, 'b'], [{ n: 2 }, 'c']]],
    ['fileglob', ['*.conf'], ['/p/files/a.conf', '/p/files/b.conf']],
    ['first_found', ['{{ nope }}.yml', { files: ['Debian.yml'], paths: ['vars'] }], ['/p/vars/Debian.yml']],
    ['first_found', [{ files: ['nothing.yml'], skip: true }], []],
  ];
  for (const [form, loop, want] of cases) {
    it(`with_${form}: ${JSON.stringify(loop)}`, () => {
      const got = items(form, loop, { module: form === 'first_found' && want.length ? 'include_vars' : 'debug' });
      expect(form === 'fileglob' ? [...got].sort() : got).to.deep.equal(want);
    });
  }

  it('loop: takes a list, and a mapping as key/value items', () => {
    expect(items('loop', ['a', 'b'])).to.deep.equal(['a', 'b']);
    expect(items('loop', { x: 1 })).to.deep.equal([{ key: 'x', value: 1 }]);
    expect(() => items('loop', 'text')).to.throw('loop: expected a list, got string "text"');
  });

  it('with_items of a rendered string is that one item (Ansible listifies it)', () => {
    expect(items('items', '{{ one }}', { vars: { one: 'x' } })).to.deep.equal(['x']);
  });

  it('with_first_found looks in the role first (vars/ for include_vars, files/ otherwise), then the playbook', () => {
    const role = '/p/roles/r';
    expect(items('first_found', ['{{ os }}.yml', 'Debian.yml'], { module: 'include_vars', baseDir: role, vars: { os: 'RedHat' } })).to.deep.equal(['/p/roles/r/vars/RedHat.yml']);
    expect(items('first_found', ['{{ os }}.yml', 'Debian.yml'], { module: 'ansible.builtin.include_vars', baseDir: role, vars: { os: 'Suse' } })).to.deep.equal(['/p/vars/Debian.yml']);
    expect(() => items('first_found', ['x.yml'], { baseDir: role })).to.throw(/No file was found when using first_found \(looked for x.yml in \/p\/roles\/r\/files, \/p\/roles\/r, \/p\/files, \/p\)/);
  });

  it('with_sequence refuses what Ansible refuses', () => {
    expect(() => sequence('start=5 end=1')).to.throw('make stride negative');
    expect(() => sequence('count=2 end=3')).to.throw("can't specify both count and end");
    expect(() => sequence('start=x end=3')).to.throw("can't parse start=x");
    expect(sequence('start=5 end=1 stride=-2')).to.deep.equal(['5', '3', '1']);
    expect(sequence('start=0 end=16 stride=8 format=0x%02x')).to.deep.equal(['0x00', '0x08', '0x10']);
  });

  it('loop_control: loop_var, index_var and extended ansible_loop', () => {
    const its = ['a', 'b', 'c'];
    expect(loopItemVars(undefined, its, 1)).to.deep.equal({ item: 'b', ansible_loop_var: 'item', ansible_loop: { index: 2, index0: 1 } });
    expect(loopItemVars({ loopVar: 'pkg', indexVar: 'i', extended: true }, its, 1)).to.deep.equal({
      pkg: 'b', ansible_loop_var: 'pkg', i: 1, ansible_index_var: 'i',
      ansible_loop: { index: 2, index0: 1, revindex: 2, revindex0: 1, first: false, last: false, length: 3, allitems: its, previtem: 'a', nextitem: 'c' },
    });
    expect(loopItemVars({ extended: true, extendedAllitems: false }, its, 0)['ansible_loop']).to.not.have.property('allitems');
  });
});
