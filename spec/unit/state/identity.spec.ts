// Host identity: the same machine under the same inventory name, nothing weaker.
import { expect } from 'chai';
import { hostIdentity, IdentityClaims } from '../../../runner/state/identity.js';

const claim = (name: string, machineId: string, hostKey: string | undefined = `key-${name}`) => ({ name, machineId, hostKey, address: `127.0.0.1:${name.length}` });

describe('host identity', () => {
  it('differs when the machine-id, the host key or the inventory name differs', () => {
    const base = hostIdentity(claim('h1', 'm1', 'k1'));
    expect(hostIdentity(claim('h1', 'm1', 'k1'))).to.equal(base);
    expect(hostIdentity(claim('h2', 'm1', 'k1')), 'a clone under another name').not.to.equal(base);
    expect(hostIdentity(claim('h1', 'm1', 'k2')), 'a new host key').not.to.equal(base);
    expect(hostIdentity(claim('h1', 'm2', 'k1')), 'a rebuilt host').not.to.equal(base);
    expect(hostIdentity(claim('h1', 'm1', undefined))).not.to.equal(base);
  });

  it('keys from hosts never become raw keys: __proto__ as machine-id and name is hashed', () => {
    expect(hostIdentity(claim('__proto__', '__proto__'))).to.match(/^[0-9a-f]{64}$/);
  });

  it('two names presenting one machine share nothing: both are told once, a third host is unaffected', () => {
    const c = new IdentityClaims();
    const a = c.claim(claim('h1', 'm1', 'k1'));
    expect(a.kind).to.equal('unique');
    expect(c.claim(claim('h3', 'm1', 'k3')).kind, 'same machine-id, other key: another machine').to.equal('unique');
    const b = c.claim(claim('h2', 'm1', 'k1'));
    expect(b).to.deep.include({ kind: 'shared', with: ['h1'] });
    if (b.kind !== 'shared') throw new Error('unreachable');
    expect(b.warnings.map((w) => w.host).sort()).to.deep.equal(['h1', 'h2']);
    expect(b.warnings[0]!.msg).to.match(/presents the same machine \(machine-id and SSH host key\) as h\d.*every task runs in full/);
    const again = c.claim(claim('h2', 'm1', 'k1'));
    expect(again).to.deep.include({ kind: 'shared', warnings: [] });
  });
});
