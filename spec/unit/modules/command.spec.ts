// command / shell: free-form parsing, creates/removes probe, commands built.
import { expect } from 'chai';
import { commandModule } from '../../../runner/modules/command.js';
import { shellModule } from '../../../runner/modules/shell.js';
import { commandProbeScript, parseCommandProbe } from '../../../runner/modules/command-core.js';
import { cmds, dctx, failMsg, fx, reason } from './helpers.js';

describe('command / shell', () => {
  it('normalizes the free form and pulls out creates/chdir', () => {
    expect(commandModule.normalize!('/usr/bin/make install creates=/opt/x chdir=/src')).to.deep.equal({ cmd: '/usr/bin/make install', creates: '/opt/x', chdir: '/src' });
    expect(shellModule.normalize!({ _raw_params: 'echo hi | tee /tmp/x', executable: '/bin/bash' })).to.deep.equal({ cmd: 'echo hi | tee /tmp/x', executable: '/bin/bash' });
    expect(commandModule.normalize!({ argv: ['ls', '-l'] })).to.deep.equal({ argv: ['ls', '-l'] });
  });
  it('parses recorded probes', () => {
    expect(parseCommandProbe(fx('command-creates'))).to.deep.equal({ createsExists: true });
    expect(parseCommandProbe(fx('command-chdir-missing'))).to.deep.equal({ chdirMissing: true });
    expect(commandProbeScript({ cmd: 'ls' })).to.equal(null);
  });
  it('noop when creates exists, with Ansible wording', () => {
    expect(reason(commandModule.decide({ cmd: 'x', creates: '/opt/x' }, { createsExists: true }, dctx()))).to.equal("Did not run command since '/opt/x' exists");
    expect(reason(shellModule.decide({ cmd: 'x', removes: '/opt/y' }, { removesExists: false }, dctx()))).to.equal("Did not run command since '/opt/y' does not exist");
  });
  it('fails when chdir is missing', () => {
    expect(failMsg(commandModule.decide({ cmd: 'x', chdir: '/nope' }, { chdirMissing: true }, dctx()))).to.match(/Unable to change directory/);
  });
  it('command quotes every word: no shell interpretation', () => {
    expect(cmds(commandModule.decide({ cmd: 'echo $HOME "a b" |' }, {}, dctx()))).to.deep.equal([`echo '$HOME' 'a b' '|'`]);
    expect(cmds(commandModule.decide({ argv: ['ls', '-l', "it's"], chdir: '/my dir' }, {}, dctx()))).to.deep.equal([`cd '/my dir' && ls -l 'it'\\''s'`]);
  });
  it('shell keeps the line, wraps executable and chdir; stdin gets a newline', () => {
    const d = shellModule.decide({ cmd: 'cat | wc -l', stdin: 'a', executable: '/bin/bash', chdir: '/tmp' }, {}, dctx());
    expect(cmds(d)).to.deep.equal([`cd /tmp && { exec /bin/bash -c 'cat | wc -l'\n}`]);
    expect(d.kind === 'change' && d.steps[0]!.kind === 'exec' && d.steps[0]!.stdin).to.equal('a\n');
    expect(d.kind === 'change' && d.summary).to.equal('run: cat | wc -l');
  });
});
