// The bench's generic 30-task playbook over 10 real SSH test hosts: it completes, and a second run
// changes nothing, both with the state (recorded tasks) and with --no-state (every task probed).
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestbed } from '../support/testbed.js';
import { play, recap, ROOT } from '../support/play.js';

const PLAYBOOK = join(ROOT, 'bench', 'playbooks', 'generic.yml');

describe('bench playbook (30 tasks) on 10 hosts', function () {
  this.timeout(90000);
  const tb = useTestbed(10, { group: 'bench' });
  const common = () => [PLAYBOOK, '-i', tb.current.inventoryPath, '--known-hosts', tb.current.knownHostsPath, '--json'];
  const stateDir = mkdtempSync(join(tmpdir(), 'play-bench-state-'));
  const total = (r: Awaited<ReturnType<typeof play>>, k: 'ok' | 'changed' | 'failed' | 'unreachable' | 'doneBefore') =>
    Object.values(recap(r)).reduce((n, h) => n + h[k], 0);

  it('completes, changing every host', async () => {
    const first = await play([...common(), '--state-dir', stateDir]);
    expect(first.code, first.stderr + first.stdout.slice(-2000)).to.equal(0);
    const hosts = recap(first);
    expect(Object.keys(hosts)).to.have.length(10);
    for (const [name, h] of Object.entries(hosts)) {
      expect(h.failed + h.unreachable, name).to.equal(0);
      expect(h.ok + h.changed, `${name}: every task ran`).to.equal(30);
      expect(h.changed, name).to.be.greaterThan(20);
    }
    const conf = await tb.current.hosts[3]!.exec('cat /srv/bench/etc/app.conf; readlink /opt/bench/current; stat -c %a /srv/bench/etc/token');
    expect(conf.stdout).to.include('# benchapp on h4\n').and.include('port = 8080\n').and.include('/opt/bench/release-1\n600\n');
  });

  it('a second run with the state reports 0 changed', async () => {
    const again = await play([...common(), '--state-dir', stateDir]);
    expect(again.code, again.stderr).to.equal(0);
    expect(total(again, 'changed')).to.equal(0);
    expect(total(again, 'failed') + total(again, 'unreachable')).to.equal(0);
  });

  it('a second run with --no-state probes every task and reports 0 changed', async () => {
    const again = await play([...common(), '--no-state']);
    expect(again.code, again.stderr).to.equal(0);
    expect(total(again, 'changed')).to.equal(0);
    expect(total(again, 'ok')).to.equal(300);
  });
});
