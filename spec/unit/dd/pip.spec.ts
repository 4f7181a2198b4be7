import { expect } from 'chai';
import { compareVersions, decidePip, parseProbe, parseRequirement, probeScript, satisfies, pipModule } from '../../../runner/modules/dd/pip.js';

const LIST = '[{"name": "Flask", "version": "2.2.2"}, {"name": "ddtrace", "version": "4.14.0+standin"}, {"name": "pip", "version": "23.0.1"}]';

describe('pip', () => {
  it('reads requirements and compares versions', () => {
    expect(parseRequirement('Flask==2.2.2')).to.deep.equal({ raw: 'Flask==2.2.2', name: 'flask', specs: [['==', '2.2.2']] });
    expect(parseRequirement('zope.interface>=5,<7')).to.deep.include({ name: 'zope-interface' });
    expect(compareVersions('4.14.0rc1', '4.14.0')).to.equal(-1);
    expect(compareVersions('2.10', '2.9')).to.equal(1);
    expect(satisfies('4.14.0+standin', [['==', '4.14.0+standin']])).to.equal(true);
    expect(satisfies('3.0.3', [['~=', '3.0.0']])).to.equal(true);
    expect(satisfies('3.1.0', [['>=', '3.0'], ['<', '3.1']])).to.equal(false);
  });

  it('parses the probe (venv missing / listed packages)', () => {
    expect(parseProbe('venv=no\n', true)).to.deep.equal({ venvExists: false });
    const p = parseProbe(`venv=yes\n@@play@@list\n${LIST}\n`, true);
    expect(p.installed).to.deep.include({ flask: '2.2.2', ddtrace: '4.14.0+standin' });
  });

  it('creates the venv and installs everything on a bare host, with extra_args quoted', () => {
    const d = decidePip({ name: ['flask==2.2.2', 'ddtrace==4.14.0+standin'], virtualenv: '/opt/flask-app/venv', extra_args: '--index-url http://127.0.0.1:8702/simple/' }, { venvExists: false });
    expect(d.kind).to.equal('change');
    if (d.kind !== 'change') return;
    expect(d.steps.map((s) => (s.kind === 'exec' ? s.cmd : ''))).to.deep.equal([
      'python3 -m venv /opt/flask-app/venv',
      "/opt/flask-app/venv/bin/python -m pip --disable-pip-version-check install --index-url http://127.0.0.1:8702/simple/ flask==2.2.2 ddtrace==4.14.0+standin",
    ]);
  });

  it('is a noop when the pins are installed, and says which versions', () => {
    const probe = parseProbe(`venv=yes\n@@play@@list\n${LIST}\n`, true);
    const d = decidePip({ name: ['Flask==2.2.2', 'ddtrace==4.14.0+standin'], virtualenv: '/opt/v' }, probe);
    expect(d.kind).to.equal('noop');
    if (d.kind === 'noop') expect(d.reason).to.include('flask 2.2.2');
  });

  it('installs only the package whose pin differs; uninstalls for absent', () => {
    const probe = parseProbe(`venv=yes\n@@play@@list\n${LIST}\n`, true);
    const d = decidePip({ name: ['flask==3.0.3', 'ddtrace'], virtualenv: '/opt/v' }, probe);
    expect(d.kind === 'change' && d.summary).to.equal('install flask==3.0.3 (have 2.2.2) in /opt/v');
    const a = decidePip({ name: ['ddtrace', 'nothere'], virtualenv: '/opt/v', state: 'absent' }, probe);
    expect(a.kind === 'change' && a.steps[0]!.kind === 'exec' && a.steps[0]!.cmd).to.match(/uninstall -y ddtrace$/);
  });

  it('state=latest upgrades only outdated packages', () => {
    const probe = parseProbe(`venv=yes\n@@play@@list\n${LIST}\n@@play@@outdated\n[{"name": "Flask", "version": "2.2.2", "latest_version": "3.0.3"}]\n`, true);
    const d = decidePip({ name: ['flask', 'ddtrace'], virtualenv: '/opt/v', state: 'latest' }, probe);
    expect(d.kind === 'change' && d.summary).to.equal('upgrade flask (have 2.2.2) in /opt/v');
    expect(probeScript({ name: ['x'], state: 'latest', extra_args: '--index-url U' })).to.include('--outdated --format=json --index-url U');
  });

  it('normalizes a single name string', () => {
    expect(pipModule.normalize!({ name: 'flask' })).to.deep.equal({ name: ['flask'] });
  });
});
