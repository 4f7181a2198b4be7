import { expect } from 'chai';
import { decideAptKeyring, importScript, parseColonFingerprints, parseProbe, probeScript } from '../../../runner/modules/dd/apt_keyring.js';

const DD = ['D18886567EABAD8B2D2526900D826EB906462314', '5F1E256061D813B125E156E8E6266D4AC0962C7D'];
// Recorded `gpg --show-keys --with-colons` shape (gpg 2.2.40): pub, fpr, uid, sub, fpr.
const COLONS = [
  'pub:-:4096:1:0D826EB906462314:1655737200:1813417200::-:::scESC::::::23::0:',
  'fpr:::::::::D18886567EABAD8B2D2526900D826EB906462314:',
  'uid:-::::1655737200::AAAA::Datadog, Inc. APT key (2022-06-20) <package+aptkey@datadoghq.com>::::::::::0:',
  'sub:-:4096:1:ABCDEF0123456789:1655737200:1813417200:::::e::::::23:',
  'fpr:::::::::1111111111111111111111111111111111111111:',
].join('\n');

describe('apt_keyring', () => {
  it('reads fingerprints from gpg colon output', () => {
    expect(parseColonFingerprints(COLONS)).to.deep.equal([DD[0], '1111111111111111111111111111111111111111']);
  });

  it('parses the probe: absent keyring, present keyring with mode', () => {
    expect(parseProbe('absent\n')).to.deep.equal({ exists: false, fingerprints: [] });
    const p = parseProbe(`present\n644\n@@play@@\n${COLONS}\n`);
    expect(p.exists).to.equal(true);
    expect(p.mode).to.equal(0o644);
    expect(p.fingerprints).to.include(DD[0]);
    expect(probeScript('/usr/share/keyrings/x.gpg')).to.include('--show-keys').and.not.include('--import');
  });

  it('is a noop when every allowed key is present, and says so', () => {
    const d = decideAptKeyring({ url: 'https://k/CURRENT', dest: '/k.gpg', fingerprints: DD.map((f) => f.toLowerCase()) },
      { exists: true, mode: 0o644, fingerprints: [...DD, 'FF'.repeat(20)] });
    expect(d.kind).to.equal('noop');
    if (d.kind === 'noop') expect(d.reason).to.match(/holds all 2 allowed key/);
  });

  it('imports when a key is missing: download on the host, verify before import, chmod', () => {
    const d = decideAptKeyring({ url: ['https://k/A.public', 'https://k/B.public'], dest: '/usr/share/keyrings/dd.gpg', fingerprints: DD },
      { exists: true, mode: 0o644, fingerprints: [DD[0]!] });
    expect(d.kind).to.equal('change');
    if (d.kind !== 'change' || d.steps[0]!.kind !== 'exec') return;
    const cmd = d.steps[0]!.cmd;
    expect(d.summary).to.include('C0962C7D');
    expect(cmd).to.include('curl -fsSL');
    expect(cmd.indexOf('--show-keys')).to.be.lessThan(cmd.indexOf('--import'));
    expect(cmd).to.include(`allowed='${DD.join(' ')}'`);
    expect(cmd).to.include('chmod 0644');
  });

  it('only fixes the mode when the keys are there', () => {
    const d = decideAptKeyring({ url: 'u', dest: '/k.gpg', fingerprints: [DD[0]!] }, { exists: true, mode: 0o600, fingerprints: [DD[0]!] });
    expect(d.kind).to.equal('change');
    if (d.kind === 'change') expect(d.steps.map((s) => s.describe)).to.deep.equal(['chmod 0644 /k.gpg']);
  });

  it('rejects fingerprints that are not 40 hex digits', () => {
    expect(decideAptKeyring({ url: 'u', dest: '/k', fingerprints: ['06462314'] }, { exists: false, fingerprints: [] }).kind).to.equal('fail');
  });

  it('quotes URLs in the import script', () => {
    expect(importScript({ url: "http://x/a'b", dest: '/k', fingerprints: DD }, 0o644)).to.include(`'http://x/a'\\''b'`);
  });
});
