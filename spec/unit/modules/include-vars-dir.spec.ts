// include_vars dir=: the files picked, in order, as ansible-playbook 2.14 picked them for the same
// tree (ansible_included_var_files of a run on localhost, recorded below).
import { expect } from 'chai';
import { pickVarsFiles } from '../../../runner/modules/include-vars-dir.js';

const files = ['a.yml', 'b.yaml', 'j.json', 'skip.yml', 'sub/s.yml', 'sub/deep/x.yml'];
const dirs = ['sub', 'sub/deep'];

describe('include_vars dir: files picked as Ansible 2.14 picks them', () => {
  it('walks sorted, every depth; ignore_files are patterns at the end of the name', () => {
    expect(pickVarsFiles(files, dirs, { ignore_files: ['skip.yml'] }, 'vars')).to.deep.equal({ ok: true, files: ['a.yml', 'b.yaml', 'j.json', 'sub/s.yml', 'sub/deep/x.yml'] });
  });
  it('depth counts walked directories; files_matching searches the file name', () => {
    expect(pickVarsFiles(files, dirs, { depth: 1, files_matching: '^[ab]' }, 'vars')).to.deep.equal({ ok: true, files: ['a.yml', 'b.yaml'] });
  });
  it('a file with another extension fails, unless ignore_unknown_extensions', () => {
    const more = [...files, 'README.md'];
    expect(pickVarsFiles(more, dirs, {}, 'vars')).to.deep.equal({ ok: false, msg: 'vars/README.md does not have a valid extension: json, yaml, yml' });
    expect(pickVarsFiles(more, dirs, { ignore_unknown_extensions: true, ignore_files: 'skip.yml x.yml' }, 'vars')).to.deep.equal({ ok: true, files: ['a.yml', 'b.yaml', 'j.json', 'sub/s.yml'] });
  });
  it('a bad pattern is one clear error', () => {
    expect(pickVarsFiles(files, dirs, { files_matching: '(' }, 'vars').ok).to.equal(false);
  });
});
