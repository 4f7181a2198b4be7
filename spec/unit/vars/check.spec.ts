// Load-time checks for explosive input: variable cycles, long chains, expansions, deep YAML.
import { expect } from 'chai';
import { parseYaml } from '../../../runner/load/yaml.js';
import { checkVarGraph } from '../../../runner/vars/check.js';
import { buildInventory } from '../../../runner/inventory/build.js';

const at = (key: string) => ({ file: 'site.yml', line: key.length, col: 5 });

describe('checkVarGraph', () => {
  it('accepts variables that refer to variables, and references to names it does not know', () => {
    expect(checkVarGraph({ base: '/srv', dir: '{{ base }}/app', url: '{% if tls %}https{% else %}http{% endif %}://{{ host }}', reg: '{{ out.stdout }}' }, at)).to.deep.equal([]);
  });

  it('reports a cycle once, at its first key', () => {
    const d = checkVarGraph({ ok: 'x', a: '{{ b }}', b: ['{{ c }}'], c: { k: '{{ a | default("z") }}' } }, at);
    expect(d).to.deep.equal([{ file: 'site.yml', line: 1, col: 5, message: "variable 'a' refers to itself: a -> b -> c -> a" }]);
  });

  it('reports a self reference', () => {
    expect(checkVarGraph({ path: '{{ path }}:/bin' }, at)[0]!.message).to.equal("variable 'path' refers to itself: path -> path");
  });

  it('reports the first variable whose estimated expansion passes 16 MiB, not every one after it', () => {
    const vars: Record<string, unknown> = { a0: 'x'.repeat(32) };
    for (let i = 1; i <= 40; i++) vars[`a${i}`] = `{{a${i - 1}}}{{a${i - 1}}}`;
    const d = checkVarGraph(vars, (k) => ({ file: 'f', line: Number(k.slice(1)), col: 1 }));
    expect(d).to.have.length(1);
    expect(d[0]).to.deep.include({ line: 20, message: "variable 'a20' expands to about 32 Mi characters, past the limit of 16 MiB" });
  });

  it('reports a chain longer than 100, iteratively (10,000 levels)', () => {
    const vars: Record<string, unknown> = { v0: 'end' };
    for (let i = 1; i <= 10_000; i++) vars[`v${i}`] = `{{ v${i - 1} }}`;
    const d = checkVarGraph(vars, at);
    expect(d.map((x) => x.message)).to.deep.equal(["variable 'v101' refers through a chain of more than 100 variables (limit 100)"]);
  });
});

describe('YAML depth', () => {
  it('a document the parser can take but nests past 200 levels is refused at the deep node', () => {
    const text = 'x: ' + '['.repeat(300) + ']'.repeat(300) + '\n';
    const r = parseYaml('deep.yml', text);
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.diagnostics[0]).to.deep.include({ file: 'deep.yml', line: 1, message: 'YAML nested more than 200 levels deep' });
  });

  it('200 levels are fine', () => {
    expect(parseYaml('ok.yml', 'x: ' + '['.repeat(198) + ']'.repeat(198) + '\n').ok).to.equal(true);
  });
});

describe('inventory group depth', () => {
  it('a 10,000-level chain of children is one diagnostic at the group, never a stack overflow', () => {
    const children: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) children[`g${i}`] = i < 9999 ? { children: { [`g${i + 1}`]: {} } } : { hosts: { web1: {} } };
    const groupPos = { g9999: { file: 'inv.yml', line: 7, col: 5 } };
    const r = buildInventory({ file: 'inv.yml', data: { all: { children } }, groupVars: {}, hostVars: {}, hostPos: {}, groupPos });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.diagnostics).to.have.length(1);
    if (!r.ok) expect(r.diagnostics[0]!.message).to.match(/^groups nest more than 100 levels deep \(all -> /);
  });

  it('100 levels are fine', () => {
    const children: Record<string, unknown> = {};
    for (let i = 0; i < 99; i++) children[`g${i}`] = i < 98 ? { children: { [`g${i + 1}`]: {} } } : { hosts: { web1: {} } };
    expect(buildInventory({ file: 'inv.yml', data: { all: { children } }, groupVars: {}, hostVars: {}, hostPos: {} }).ok).to.equal(true);
  });
});
