// setup: facts as a task, from the gather_facts script; filter by ansible_ name.
import { expect } from 'chai';
import { setupModule, filteredFacts } from '../../../runner/modules/setup.js';
import { parseFacts } from '../../../runner/execute/facts.js';
import { dctx } from './helpers.js';
import { step } from './round-trip.js';

const recorded = 'os_id=debian\nos_version=12\nos_like=\nos_codename=bookworm\nhostname=web1\narchitecture=x86_64\ninit_system=sysv\npython=/usr/bin/python3\nmachine_id=abc\nuser_id=root\n';

describe('setup', () => {
  it('returns ansible_facts and sets the flat ansible_ names for later tasks', () => {
    const d = setupModule.decide({}, parseFacts(recorded), dctx());
    expect(d.kind).to.equal('noop');
    if (d.kind !== 'noop') return;
    expect(d.result!.ansible_facts).to.include({ os_family: 'Debian', distribution: 'Debian', hostname: 'web1' });
    expect(d.setVars).to.include({ ansible_os_family: 'Debian', ansible_distribution_release: 'bookworm', ansible_hostname: 'web1' });
    expect(d.reason).to.match(/^gathered \d+ facts \(Debian debian 12, web1\)$/);
  });
  it('filter keeps the facts whose ansible_ name matches', () => {
    const v = filteredFacts(parseFacts(recorded), ['ansible_distribution*']);
    expect(Object.keys(v).sort()).to.deep.equal(['ansible_distribution', 'ansible_distribution_major_version', 'ansible_distribution_release', 'ansible_distribution_version', 'ansible_facts']);
    expect(v.ansible_facts).to.deep.equal({ distribution: 'Debian', distribution_version: '12', distribution_major_version: '12', distribution_release: 'bookworm' });
  });
  it('defines the fact names at compile time', () => {
    expect(setupModule.definesVars!({})).to.include.members(['ansible_facts', 'ansible_os_family']);
  });
  it('gathers on this machine in one exec', async () => {
    const d = await step(setupModule, { gather_subset: ['min'] });
    expect(d.kind === 'noop' && (d.result!.ansible_facts as Record<string, unknown>).architecture).to.be.a('string');
  });
});
