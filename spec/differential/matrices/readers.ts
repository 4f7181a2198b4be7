// Modules that read the host (ping, slurp, find, setup), fetch (writes on the controller, under the
// playbook's directory, per host), and package / systemd as far as a test host allows (no systemd as
// PID 1: systemctl manages unit files only): statuses must match.
import type { DiffMatrix } from '../matrix.js';

export const READERS: DiffMatrix = {
  module: 'readers',
  setup: 'mkdir -p /srv/rd/t/sub && printf "port=22\\n" > /srv/rd/t/a.conf && printf "x\\n" > /srv/rd/t/sub/b.conf && printf "y\\n" > /srv/rd/t/c.txt',
  cases: [
    { name: 'ping', roots: [], tasks: [{ ping: {} }, { ping: { data: 'hello' }, register: 'p' }, { assert: { that: ["p.ping == 'hello'"] } }] },
    { name: 'slurp', roots: [], tasks: [{ slurp: { src: '/srv/rd/t/a.conf' }, register: 's' }, { assert: { that: ["s.content == 'cG9ydD0yMgo='", "s.encoding == 'base64'"] } }] },
    { name: 'slurp a missing file', roots: [], tasks: [{ slurp: { src: '/srv/rd/none' } }] },
    {
      name: 'fetch, then fetch again', roots: [], differs: { check: 'Ansible skips fetch under --check; play reports ok with the reason' },
      tasks: [{ fetch: { src: '/srv/rd/t/a.conf', dest: 'fetched' } }, { fetch: { src: '/srv/rd/t/a.conf', dest: 'fetched' } }],
    },
    { name: 'fetch a missing file', roots: [], differs: { check: 'Ansible skips fetch under --check' }, tasks: [{ fetch: { src: '/srv/rd/none', dest: 'fetched' } }] },
    { name: 'fetch a missing file, fail_on_missing false', roots: [], differs: { check: 'Ansible skips fetch under --check' }, tasks: [{ fetch: { src: '/srv/rd/none', dest: 'fetched', fail_on_missing: false } }] },
    {
      name: 'find', roots: [],
      tasks: [
        { find: { paths: '/srv/rd/t', patterns: '*.conf', recurse: true }, register: 'f' },
        { assert: { that: ['f.matched == 2', "f.files | length == 2", "f.files[0].mode == '0644'"] } },
        { find: { paths: '/srv/rd/t', contains: 'port=\\d+' }, register: 'g' },
        { assert: { that: ['g.matched == 1'] } },
      ],
    },
    { name: 'setup', roots: [], tasks: [{ setup: { filter: 'ansible_os_family' } }, { assert: { that: ["ansible_os_family == 'Debian'"] } }] },
    { name: 'package absent, not installed', roots: [], tasks: [{ package: { name: 'play-no-such-package', state: 'absent' } }] },
    { name: 'systemd on a host without systemd', roots: [], tasks: [{ systemd: { name: 'ssh', state: 'started' } }] },
    { name: 'systemd_service daemon_reload on a host without systemd', roots: [], tasks: [{ systemd_service: { daemon_reload: true } }] },
    { name: 'systemd: disable and enable through unit files', roots: ['etc/systemd/system', 'etc/rc2.d', 'etc/rc3.d', 'etc/rc4.d', 'etc/rc5.d', 'etc/rc0.d', 'etc/rc1.d', 'etc/rc6.d'], tasks: [{ systemd: { name: 'ssh', enabled: false } }, { systemd: { name: 'ssh', enabled: true } }] },
    { name: 'systemd: mask a unit', roots: ['etc/systemd/system/play-masked.service'], tasks: [{ systemd: { name: 'play-masked', masked: true } }] },
    { name: 'systemd: a missing unit', roots: [], differs: { check: 'issue 18: after the opaque systemd changes above, play reports a failure under --check as unknown' }, tasks: [{ systemd: { name: 'play-no-such-unit', state: 'started' } }] },
  ],
};
