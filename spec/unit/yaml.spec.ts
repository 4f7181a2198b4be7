import { expect } from 'chai';
import { parseYaml, positionOf } from '../../runner/load/yaml.js';

describe('parseYaml', () => {
  it('keeps positions of keys and values', () => {
    const r = parseYaml('p.yml', '- name: a\n  hosts: all\n  tasks:\n    - debug: {msg: hi}\n');
    if (!r.ok) throw new Error('expected ok');
    expect(positionOf(r.value, [0, 'tasks', 0, 'debug'], 'key')).to.deep.equal({ file: 'p.yml', line: 4, col: 7 });
    expect(positionOf(r.value, [0, 'hosts'])).to.deep.equal({ file: 'p.yml', line: 2, col: 10 });
  });
  it('reports a duplicate key with its position', () => {
    const r = parseYaml('d.yml', 'a: 1\nb: 2\na: 3\n');
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).to.include({ file: 'd.yml', line: 3 });
    expect(r.diagnostics[0]!.message).to.match(/duplicate key/);
  });
  it('refuses binary input and alias bombs', () => {
    const bin = parseYaml('b.yml', Buffer.from([0x61, 0, 0x62]));
    expect(bin.ok).to.equal(false);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const r = parseYaml('bomb.yml', bomb.join('\n'));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.diagnostics[0]!.message).to.match(/alias/i);
  });
});
