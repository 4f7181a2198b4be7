// getent and tempfile: commands, parsing and decisions without a host.
import { expect } from 'chai';
import { getentCommand, getentModule, parseGetent } from '../../../runner/modules/getent.js';
import { tempfileCommand, tempfileModule } from '../../../runner/modules/tempfile.js';
import { cmds, dctx, failMsg } from './helpers.js';

describe('getent', () => {
  it('splits passwd-like databases on ":" and others on whitespace runs', () => {
    expect(parseGetent('root:x:0:0:root:/root:/bin/bash\n', ':')).to.deep.equal({ root: ['x', '0', '0', 'root', '/root', '/bin/bash'] });
    expect(parseGetent('ssh                   22/tcp\n', undefined)).to.deep.equal({ ssh: ['22/tcp'] });
  });

  it('a key seen twice becomes a list of records, as in Ansible', () => {
    expect(parseGetent('127.0.0.1 localhost\n127.0.0.1 other\n127.0.0.1 third\n', undefined)).to.deep.equal({ '127.0.0.1': [['localhost'], ['other'], ['third']] });
  });

  it('sets getent_<database>; a missing key fails, or is none with fail_key false', () => {
    const d = getentModule.decide({ database: 'passwd', key: 'root' }, { code: 0, stdout: 'root:x:0:0:root:/root:/bin/bash\n', stderr: '' }, dctx());
    expect(d.kind === 'noop' && d.setVars).to.deep.equal({ getent_passwd: { root: ['x', '0', '0', 'root', '/root', '/bin/bash'] } });
    expect(failMsg(getentModule.decide({ database: 'passwd', key: 'nobody2' }, { code: 2, stdout: '', stderr: '' }, dctx()))).to.contain('could not be found');
    const soft = getentModule.decide({ database: 'group', key: 'g', fail_key: false }, { code: 2, stdout: '', stderr: '' }, dctx());
    expect(soft.kind === 'noop' && soft.setVars).to.deep.equal({ getent_group: { g: null } });
    expect(getentCommand({ database: 'passwd', key: 'a b', service: 'files' })).to.equal("getent passwd 'a b' -s files");
    expect(getentModule.definesVars!({ database: 'hosts' })).to.deep.equal(['getent_hosts']);
  });
});

describe('tempfile', () => {
  it('runs mktemp with Ansible\'s default prefix, and reads the path from its output', () => {
    expect(tempfileCommand({})).to.equal('mktemp -p "${TMPDIR:-/tmp}" -- ansible.XXXXXXXX');
    expect(tempfileCommand({ state: 'directory', path: '/srv/x y', prefix: 'p.', suffix: '.d' })).to.equal("mktemp -d -p '/srv/x y' --suffix=.d -- p.XXXXXXXX");
    const d = tempfileModule.decide({}, null, dctx());
    expect(cmds(d)).to.have.length(1);
    const step = d.kind === 'change' ? d.steps[0] : undefined;
    expect(step?.kind === 'exec' && step.interpret?.({ code: 0, stdout: '/tmp/ansible.abcd1234\n', stderr: '' })).to.deep.equal({ result: { path: '/tmp/ansible.abcd1234' } });
    expect(failMsg(tempfileModule.decide({ prefix: '../x' }, null, dctx()))).to.contain("must not contain '/'");
  });
});
