// service through SysV on a test host (no systemd as PID 1): a throwaway init script the setup
// installs, started, stopped, restarted, enabled and disabled (update-rc.d links); and apt_key with a
// throwaway public key (spec/differential/fixtures/dm-key.asc): by data, by a file on the host, into
// a keyring, removed by id, and key data that is not a key.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiffMatrix } from '../matrix.js';

const KEY = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'dm-key.asc'), 'utf8');
const ID = '904E73FED016A8DF';

const initScript = (name: string): string => [
  '#!/bin/sh', '### BEGIN INIT INFO', `# Provides: ${name}`, '# Required-Start: $remote_fs', '# Required-Stop: $remote_fs',
  '# Default-Start: 2 3 4 5', '# Default-Stop: 0 1 6', `# Short-Description: ${name}`, '### END INIT INFO',
  `P=/srv/svc/${name}.pid`,
  'running() { [ -f "$P" ] && kill -0 "$(cat "$P")" 2>/dev/null; }',
  'case "$1" in',
  '  start) running && exit 0; setsid sleep 100000 >/dev/null 2>&1 </dev/null & echo $! > "$P";;',
  '  stop) running && kill "$(cat "$P")"; rm -f "$P";;',
  '  restart|reload|force-reload) "$0" stop; "$0" start;;',
  '  status) running && exit 0; exit 3;;',
  'esac', 'exit 0', '',
].join('\n');

const install = (name: string): string => `cat > /etc/init.d/${name} <<'PLAYEOF'\n${initScript(name)}PLAYEOF\nchmod 755 /etc/init.d/${name}`;
const SYSTEMD_FALSE_OK = "Ansible's service_mgr fact says systemd on a test host (systemd is installed, not PID 1), and its systemd module in a chroot reports ok without acting (its own warning: 'false positives'); play drives the SysV script, as the host runs it";
const svcDiffers = { check: SYSTEMD_FALSE_OK, first: SYSTEMD_FALSE_OK, second: SYSTEMD_FALSE_OK };
const RC = ['etc/rc0.d', 'etc/rc1.d', 'etc/rc2.d', 'etc/rc3.d', 'etc/rc4.d', 'etc/rc5.d', 'etc/rc6.d', 'etc/rcS.d'];

export const SERVICES_KEYS: DiffMatrix = {
  module: 'services-keys',
  setup: [
    'mkdir -p /srv/svc /srv/k',
    ...['dmstart', 'dmstop', 'dmrestart', 'dmenable', 'dmdisable'].map(install),
    '/etc/init.d/dmstop start >/dev/null', 'update-rc.d dmdisable defaults >/dev/null 2>&1',
    `cat > /srv/k/key.asc <<'PLAYEOF'\n${KEY}PLAYEOF`,
    // Ansible's apt_key lists a keyring before it writes, and gpg creates a missing one (empty), even under --check: play does not, so the keyrings exist
    'mkdir -p /etc/apt/trusted.gpg.d', 'touch /etc/apt/trusted.gpg.d/dm.gpg /etc/apt/trusted.gpg.d/dm2.gpg /etc/apt/trusted.gpg.d/dm3.gpg /etc/apt/trusted.gpg.d/dm4.gpg',
  ].join('\n'),
  // play's pid files (Ansible starts nothing, see SYSTEMD_FALSE_OK); gpg's home, which Ansible's apt-key runs leave behind
  noise: [/^srv\/svc\/.*\.pid$/, /^root\/\.gnupg(\/|$)/],
  cases: [
    { name: 'service started', differs: svcDiffers, roots: ['etc/init.d/dmstart', ...RC], tasks: [{ service: { name: 'dmstart', state: 'started' } }] },
    { name: 'service stopped', differs: svcDiffers, roots: ['etc/init.d/dmstop', ...RC], tasks: [{ service: { name: 'dmstop', state: 'stopped' } }] },
    { name: 'service restarted', differs: svcDiffers, roots: ['etc/init.d/dmrestart', ...RC], tasks: [{ service: { name: 'dmrestart', state: 'restarted' } }] },
    { name: 'service enabled', roots: ['etc/init.d/dmenable', ...RC], tasks: [{ service: { name: 'dmenable', enabled: true } }] },
    { name: 'service disabled', roots: ['etc/init.d/dmdisable', ...RC], tasks: [{ service: { name: 'dmdisable', enabled: false } }] },
    { name: 'a missing service', roots: [], tasks: [{ service: { name: 'dm-no-such-service', state: 'started' } }] },
    { name: 'apt_key from data, with its id', roots: ['etc/apt/trusted.gpg', 'etc/apt/trusted.gpg~'], tasks: [{ apt_key: { data: KEY, id: ID } }] },
    { name: 'apt_key from a file on the host, into a keyring', roots: ['etc/apt/trusted.gpg.d/dm.gpg', 'etc/apt/trusted.gpg.d/dm.gpg~'], tasks: [{ apt_key: { file: '/srv/k/key.asc', keyring: '/etc/apt/trusted.gpg.d/dm.gpg' } }] },
    { name: 'apt_key removed by id from a keyring', roots: ['etc/apt/trusted.gpg.d/dm2.gpg', 'etc/apt/trusted.gpg.d/dm2.gpg~'], tasks: [{ apt_key: { file: '/srv/k/key.asc', keyring: '/etc/apt/trusted.gpg.d/dm2.gpg' } }, { apt_key: { id: ID, keyring: '/etc/apt/trusted.gpg.d/dm2.gpg', state: 'absent' } }] },
    { name: 'apt_key absent, not there', roots: ['etc/apt/trusted.gpg.d/dm3.gpg'], tasks: [{ apt_key: { id: 'DEADBEEFDEADBEEF', keyring: '/etc/apt/trusted.gpg.d/dm3.gpg', state: 'absent' } }] },
    { name: 'apt_key data that is not a key', roots: ['etc/apt/trusted.gpg.d/dm4.gpg'], tasks: [{ apt_key: { data: 'not a key', keyring: '/etc/apt/trusted.gpg.d/dm4.gpg' } }] },
  ],
};
