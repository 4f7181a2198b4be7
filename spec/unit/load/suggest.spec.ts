// "did you mean": only when the guess is likely right.
import { expect } from 'chai';
import { closest } from '../../../runner/load/suggest.js';

describe('did you mean', () => {
  it('suggests a typo or a swap of a short word, two edits of a long one with the same first letter', () => {
    expect(closest('notfiy', ['notify', 'name'])).to.equal('notify');
    expect(closest('coppy', ['copy', 'command'])).to.equal('copy');
    expect(closest('gather_fact', ['gather_facts', 'tags'])).to.equal('gather_facts');
    expect(closest('lineinfle', ['lineinfile'])).to.equal('lineinfile');
    expect(closest('Copy', ['copy'])).to.equal('copy');
  });

  it('stays quiet when the guess is a stretch, or when two candidates are as close', () => {
    expect(closest('pacman', ['apt', 'package', 'command'])).to.equal(undefined);
    expect(closest('ufw', ['uri', 'user'])).to.equal(undefined);
    expect(closest('xineinfle', ['lineinfile'])).to.equal(undefined);
    expect(closest('postgresql_user', ['mysql_user'])).to.equal(undefined);
    expect(closest('cat', ['car', 'cab'])).to.equal(undefined);
  });
});
