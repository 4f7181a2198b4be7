// service_facts: the probe's output parsed as Ansible 2.14's module parses the same tools' output
// (recorded on a Debian 12 test host without systemd, and from a systemd host's systemctl), and the
// decision: always a no-op whose facts join the host's ansible_facts.
import { expect } from 'chai';
import { parseServiceFactsOutput, serviceFactsModule, servicesFrom } from '../../../runner/modules/service_facts.js';

const MARK = '@@play-service-facts@@';

describe('service_facts', () => {
  it('SysV: `service --status-all` lines, + running and - stopped ([ ? ] goes to stderr and is not read)', () => {
    const out = `${MARK} sysv\n [ - ]  dbus\n [ - ]  postgresql\n [ + ]  ssh\n [ + ]  datadog-agent\n`;
    expect(servicesFrom(parseServiceFactsOutput(out))).to.deep.equal({
      dbus: { name: 'dbus', state: 'stopped', source: 'sysv' },
      postgresql: { name: 'postgresql', state: 'stopped', source: 'sysv' },
      ssh: { name: 'ssh', state: 'running', source: 'sysv' },
      'datadog-agent': { name: 'datadog-agent', state: 'running', source: 'sysv' },
    });
  });

  it('systemd: list-units (bad states shift the columns), then list-unit-files for the status and the rest', () => {
    const out = [
      `${MARK} units`,
      '  UNIT                     LOAD      ACTIVE   SUB     DESCRIPTION',
      '  cron.service             loaded    active   running Regular background program processing daemon',
      '● nope.service             not-found inactive dead    nope.service',
      '  ssh.service              loaded    inactive dead    OpenBSD Secure Shell server',
      '',
      `${MARK} unit-files`,
      'UNIT FILE                  STATE    VENDOR PRESET',
      'cron.service               enabled  enabled',
      'ssh.service                disabled enabled',
      'datadog-agent.service      enabled  enabled',
      '',
      `${MARK} shown`,
      'cron.service ActiveState=active',
      'ssh.service ActiveState=inactive',
      'datadog-agent.service ActiveState=failed',
    ].join('\n');
    expect(servicesFrom(parseServiceFactsOutput(out))).to.deep.equal({
      'cron.service': { name: 'cron.service', state: 'running', status: 'enabled', source: 'systemd' },
      'nope.service': { name: 'nope.service', state: 'stopped', status: 'not-found', source: 'systemd' },
      'ssh.service': { name: 'ssh.service', state: 'stopped', status: 'disabled', source: 'systemd' },
      'datadog-agent.service': { name: 'datadog-agent.service', state: 'failed', status: 'enabled', source: 'systemd' },
    });
  });

  it('decides a no-op that sets ansible_facts.services (and ansible_services); none found says so', () => {
    const d = serviceFactsModule.decide({}, parseServiceFactsOutput(`${MARK} sysv\n [ + ]  ssh\n`), {} as never);
    expect(d).to.deep.include({ kind: 'noop', reason: 'found 1 services (1 running)' });
    const services = { ssh: { name: 'ssh', state: 'running', source: 'sysv' } };
    expect(d.kind === 'noop' && d.setVars).to.deep.equal({ ansible_facts: { services }, ansible_services: services });
    const none = serviceFactsModule.decide({}, parseServiceFactsOutput(''), {} as never);
    expect(none).to.deep.include({ kind: 'noop', result: { skipped: true } });
    expect(serviceFactsModule.normalize!(null)).to.deep.equal({});
  });
});
