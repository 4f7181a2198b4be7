// YAML scalars as Ansible reads them. The oracle is PyYAML itself (Debian's python3-yaml, as Ansible uses):
// every sample is parsed by both, and the values must be equal.
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { parseYaml } from '../../../runner/load/yaml.js';

const SAMPLES = [
  'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'off', 'OFF', 'true', 'True', 'FALSE', 'y', 'n', 'Y', 'N', 'yEs',
  '0644', '0444', '0o17', '0x1f', '0b101', '-0b11', '+12', '-0', '1_000', '09', '010', '0', '190:20:30', '1:20',
  '1.5', '1.0e+3', '1e3', '.5', '-.inf', '.NaN', '1.', '190:20:30.15', '~', 'null', 'Null', '', '2001-12-14', '12:30',
  '"0644"', "'yes'", '0.1_0',
];

function pyyaml(doc: string): unknown {
  const code = 'import json,sys,yaml,math\n'
    + 'def fix(v):\n'
    + '  if isinstance(v, float) and (math.isinf(v) or math.isnan(v)): return repr(v)\n'
    + '  if isinstance(v, dict): return {k: fix(x) for k, x in v.items()}\n'
    + '  return v if isinstance(v, (int, float, str, bool, type(None), list)) else str(v)\n'
    + 'print(json.dumps(fix(yaml.safe_load(sys.stdin.read()))))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code], { input: doc, encoding: 'utf8' }));
}

function ours(doc: string): unknown {
  const r = parseYaml('t.yml', doc);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const fix = (v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf') : v);
  return Object.fromEntries(Object.entries(r.value.data as Record<string, unknown>).map(([k, v]) => [k, fix(v)]));
}

describe('YAML as Ansible reads it (PyYAML is the oracle)', () => {
  it('resolves every sample scalar exactly as PyYAML does', () => {
    const doc = SAMPLES.map((s, i) => `k${i}: ${s}`).join('\n') + '\n';
    const want = pyyaml(doc) as Record<string, unknown>;
    const got = ours(doc) as Record<string, unknown>;
    for (const [i, s] of SAMPLES.entries()) expect(got[`k${i}`], JSON.stringify(s)).to.deep.equal(want[`k${i}`]);
  });

  it('merges << keys, and the local keys win', () => {
    const doc = 'base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n';
    expect(ours(doc)).to.deep.equal(pyyaml(doc));
    expect((ours(doc) as { x: unknown }).x).to.deep.equal({ a: 1, b: 3 });
  });

  it('refuses a mode written as a decimal number of octal-looking digits, at its line and column', () => {
    const r = parseYaml('t.yml', '- file:\n    path: /x\n    mode: 644\n- copy: {dest: /y, mode: 0640, content: x}\n- vars: {dir_mode: 755, other: 644}\n');
    expect(r.ok).to.equal(false);
    const d = r.ok ? [] : r.diagnostics;
    expect(d.map((x) => `${x.line}:${x.col}`)).to.deep.equal(['3:11', '5:20']);
    expect(d[0]!.message).to.equal("mode: 644 is the decimal number 644, i.e. mode 0o1204, not 0644; write it as 0644 or '0644' (Ansible reads an unquoted number as the permission bits)");
  });

  it('reads mode: 0444 as the octal it is (it used to be the decimal 444, group-writable 0o674)', () => {
    const r = parseYaml('t.yml', 'mode: 0444\nquoted: "0444"\n');
    expect(r.ok && r.value.data).to.deep.equal({ mode: 0o444, quoted: '0444' });
  });
});

describe('YAML keys as PyYAML takes them', () => {
  it('refuses a list or mapping used as a key, at the key (PyYAML: found unhashable key), instead of stringifying it', () => {
    const r = parseYaml('t.yml', 'vars:\n  ? [a, b]\n  : 1\n  ok: 2\n');
    expect(r.ok).to.equal(false);
    const d = r.ok ? [] : r.diagnostics;
    expect(d.map((x) => `${x.line}:${x.col} ${x.message}`)).to.deep.equal(['2:5 a mapping key must be a plain value, not a list (PyYAML rejects it as unhashable)']);
  });
});
