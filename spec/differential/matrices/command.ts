// command and shell: creates/removes, chdir, changed_when/failed_when on their own result, rc.
import type { DiffMatrix } from '../matrix.js';

export const COMMAND: DiffMatrix = {
  module: 'command',
  setup: 'mkdir -p /srv/cmd && touch /srv/cmd/exists',
  cases: [
    { name: 'creates, missing', roots: ['srv/cmd/made'], tasks: [{ command: { cmd: 'touch /srv/cmd/made', creates: '/srv/cmd/made' } }], differs: { check: 'docs/check-mode.md: a command that would run is reported as a change, not skipped' } },
    { name: 'creates, existing', roots: ['srv/cmd/exists'], tasks: [{ command: { cmd: 'touch /srv/cmd/never', creates: '/srv/cmd/exists' } }] },
    { name: 'removes, missing', roots: ['srv/cmd/never2'], tasks: [{ command: { cmd: 'touch /srv/cmd/never2', removes: '/srv/cmd/nothing' } }] },
    { name: 'shell with chdir', roots: ['srv/cmd/in'], tasks: [{ shell: { cmd: 'mkdir -p in && echo hi > in/f', chdir: '/srv/cmd' } }], differs: { check: 'docs/check-mode.md: a command that would run is reported as a change, not skipped' } },
    { name: 'changed_when false', roots: [], tasks: [{ command: 'true', changed_when: false }], differs: { check: 'docs/check-mode.md: a command that would run is reported, not skipped' } },
    { name: 'a failing command', roots: [], tasks: [{ command: 'false' }], differs: { check: 'docs/check-mode.md: a command that would run is reported, not skipped' } },
    { name: 'failed_when on its own rc', roots: [], tasks: [{ shell: 'exit 3', register: 'r3', failed_when: 'r3.rc != 3' }], differs: { check: 'docs/check-mode.md: a command that would run is reported, not skipped' } },
  ],
};
