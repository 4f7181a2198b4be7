// The wording slips of issue 15: each message reads as a sentence.
import { expect } from 'chai';
import { conditionFalse } from '../../../runner/execute/conditions.js';
import { lineinfileModule } from '../../../runner/modules/lineinfile.js';
import { parseContentProbe } from '../../../runner/modules/content-file.js';
import { dctx, fx } from '../modules/helpers.js';

describe('wording', () => {
  it('a literal false condition is not "false is false"', () => {
    expect(conditionFalse('changed_when', ['false'])).to.equal('changed_when: false');
    expect(conditionFalse('when', ['False'])).to.equal('when: false');
    expect(conditionFalse('changed_when', ['rc == 2', 'x'])).to.equal('changed_when: rc == 2 and x is false');
  });
  it('lineinfile summaries are actions, so check mode reads "would add a line to PATH"', () => {
    const probe = parseContentProbe(fx('lineinfile-sshd'), '/srv/fx/sshd_config');
    const summary = (a: Record<string, unknown>) => {
      const d = lineinfileModule.decide({ path: '/srv/fx/sshd_config', ...a }, probe, dctx({ check: true }));
      return d.kind === 'change' ? `would ${d.summary}` : d.kind;
    };
    expect(summary({ line: 'UseDNS no' })).to.equal('would add a line to /srv/fx/sshd_config');
    expect(summary({ regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' })).to.equal('would replace a line in /srv/fx/sshd_config');
    expect(summary({ regexp: '^PasswordAuth', state: 'absent' })).to.equal('would remove 1 line(s) from /srv/fx/sshd_config');
  });
});

describe('command failures', () => {
  it("do not speak of the runner's eval frame", async () => {
    const { withoutEvalFrame } = await import('../../../runner/execute/apply.js');
    expect(withoutEvalFrame('/bin/sh: 1: eval: Syntax error: "then" unexpected')).to.equal('/bin/sh: 1: Syntax error: "then" unexpected');
    expect(withoutEvalFrame('bash: eval: line 1: syntax error\nbash: eval: line 1: `if then\'')).to.equal('bash: line 1: syntax error\nbash: line 1: `if then\'');
    expect(withoutEvalFrame('my output mentions eval: fine')).to.equal('my output mentions eval: fine');
  });
});

describe('check mode summaries', () => {
  it('read as sentences whether or not the summary starts with a verb', async () => {
    const { wouldDo } = await import('../../../runner/execute/module-run.js');
    expect(wouldDo('update /x (sha256 a… -> b…)')).to.equal('would update /x (sha256 a… -> b…)');
    expect(wouldDo('/srv/x: mode 0640 -> 0644')).to.equal('would change /srv/x: mode 0640 -> 0644');
    expect(wouldDo('app@localhost: password')).to.equal('would change app@localhost: password');
  });
});
