// file, copy, template and lineinfile edge cases: recurse with owner and mode, follow, backups
// (checked through the registered backup_file, then removed, since the name holds a pid and a time),
// validate, lineinfile's backrefs, insertbefore and create.
import type { DiffMatrix } from '../matrix.js';

/** Checks the backup a task made and removes it; Ansible names it <dest>.<pid>.<time>~. */
const backupChecked = (reg: string, dest: string, content: string, key = 'backup_file'): Record<string, unknown>[] => [
  { assert: { that: [`${reg}.${key} is match('${dest}\\.[0-9]+\\.[0-9-]+@[0-9:]+~$')`] }, when: `${reg}.changed and not ansible_check_mode` },
  { slurp: { src: `{{ ${reg}.${key} }}` }, register: `${reg}_b`, when: `${reg}.changed and not ansible_check_mode` },
  { assert: { that: [`${reg}_b.content | b64decode == '${content}'`] }, when: `${reg}.changed and not ansible_check_mode` },
  { file: { path: `{{ ${reg}.${key} }}`, state: 'absent' }, when: `${reg}.changed and not ansible_check_mode` },
  // lineinfile says "" when it made no backup, the others leave the key out
  { assert: { that: [key === 'backup' ? `${reg}.backup == ''` : `${reg}.${key} is not defined`] }, when: `not ${reg}.changed` },
];

export const FILES_MORE: DiffMatrix = {
  module: 'files-more',
  setup: [
    'mkdir -p /srv/fm/r1/a/b /srv/fm/r2/x && printf "1\\n" > /srv/fm/r1/f1 && printf "2\\n" > /srv/fm/r1/a/b/f2 && chmod 600 /srv/fm/r1/f1 && ln -s f1 /srv/fm/r1/lnk',
    'printf "3\\n" > /srv/fm/r2/x/f3 && chmod 700 /srv/fm/r2/x/f3',
    'printf "t\\n" > /srv/fm/target && chmod 644 /srv/fm/target && ln -s target /srv/fm/flink && ln -s target2 /srv/fm/flink2 && printf "t2\\n" > /srv/fm/target2',
    'printf "old\\n" > /srv/fm/cb && printf "old\\n" > /srv/fm/tb && printf "old\\n" > /srv/fm/cv && printf "old\\n" > /srv/fm/cv2',
    'printf "# c\\nPort 22\\nUser root\\n" > /srv/fm/li1 && cp /srv/fm/li1 /srv/fm/li2 && cp /srv/fm/li1 /srv/fm/li3 && cp /srv/fm/li1 /srv/fm/li4 && cp /srv/fm/li1 /srv/fm/li5 && cp /srv/fm/li1 /srv/fm/li6 && printf "a\\n" > /srv/fm/li7 && printf "a\\n" > /srv/fm/bb && printf "a\\n" > /srv/fm/rb && touch /srv/fm/tp /srv/fm/tm /srv/fm/ta',
  ].join(' && '),
  files: { 'templates/t.j2': 'name={{ tname }}\n', 'files/hello.txt': 'hello\n' },
  cases: [
    { name: 'recurse with owner, group and a symbolic X mode', roots: ['srv/fm/r1'], tasks: [{ file: { path: '/srv/fm/r1', state: 'directory', recurse: true, owner: 'nobody', group: 'nogroup', mode: 'u=rwX,g=rX,o=' } }] },
    { name: 'recurse with an octal mode', roots: ['srv/fm/r2'], tasks: [{ file: { path: '/srv/fm/r2', state: 'directory', recurse: true, mode: '0750' } }] },
    { name: 'recurse creates a missing directory', roots: ['srv/fm/r3'], tasks: [{ file: { path: '/srv/fm/r3/s', state: 'directory', recurse: true, owner: 'nobody' } }] },
    { name: 'mode through a link, follow default', roots: ['srv/fm/flink', 'srv/fm/target'], tasks: [{ file: { path: '/srv/fm/flink', mode: '0600' } }] },
    { name: 'owner of a link itself, follow false', roots: ['srv/fm/flink2', 'srv/fm/target2'], tasks: [{ file: { path: '/srv/fm/flink2', owner: 'nobody', follow: false } }] },
    { name: 'state file on a missing path', roots: ['srv/fm/nofile'], tasks: [{ file: { path: '/srv/fm/nofile', state: 'file' } }] },
    { name: 'state file on a directory', roots: ['srv/fm/r2'], tasks: [{ file: { path: '/srv/fm/r2', state: 'file' } }] },
    { name: 'touch an existing file with a mode, twice', roots: ['srv/fm/tt'], tasks: [{ file: { path: '/srv/fm/tt', state: 'touch' } }, { file: { path: '/srv/fm/tt', state: 'touch', mode: '0600', owner: 'nobody' } }] },
    { name: 'absent, a directory tree', roots: ['srv/fm/r2'], tasks: [{ file: { path: '/srv/fm/r2/x', state: 'absent' } }] },
    { name: 'copy with backup', roots: ['srv/fm/cb'], tasks: [{ copy: { dest: '/srv/fm/cb', content: 'new\n', backup: true }, register: 'cb' }, ...backupChecked('cb', '/srv/fm/cb', 'old\\n')] },
    { name: 'copy with backup of a new file', roots: ['srv/fm/cbn'], tasks: [{ copy: { dest: '/srv/fm/cbn', content: 'new\n', backup: true }, register: 'cbn' }, { assert: { that: ['cbn.backup_file is not defined'] } }] },
    { name: 'copy with a passing validate', roots: ['srv/fm/cv'], tasks: [{ copy: { dest: '/srv/fm/cv', content: 'good\n', validate: 'grep -q good %s' } }] },
    { name: 'copy with a failing validate keeps the file', roots: ['srv/fm/cv2'], tasks: [{ copy: { dest: '/srv/fm/cv2', content: 'bad\n', validate: 'grep -q good %s' } }] },
    { name: 'copy with a validate without %s', roots: ['srv/fm/cv3'], differs: { check: "docs/check-mode.md: Ansible's --check does not validate and says changed, its real run fails; play's plan says it would fail" }, tasks: [{ copy: { dest: '/srv/fm/cv3', content: 'x\n', validate: 'true' } }] },
    { name: 'template with owner, group and mode', roots: ['srv/fm/t1'], tasks: [{ template: { src: 't.j2', dest: '/srv/fm/t1', owner: 'nobody', group: 'nogroup', mode: '0604' }, vars: { tname: 'one' } }] },
    { name: 'template with backup', roots: ['srv/fm/tb'], tasks: [{ template: { src: 't.j2', dest: '/srv/fm/tb', backup: true }, vars: { tname: 'two' }, register: 'tb' }, ...backupChecked('tb', '/srv/fm/tb', 'old\\n')] },
    { name: 'template into a missing directory', roots: ['srv/fm/tdir'], differs: { check: "docs/check-mode.md: Ansible's --check says changed, but its real run fails; play's plan says it would fail" }, tasks: [{ template: { src: 't.j2', dest: '/srv/fm/tdir/x' }, vars: { tname: 'x' } }] },
    { name: 'lineinfile backrefs without a match leaves the file', roots: ['srv/fm/li1'], tasks: [{ lineinfile: { path: '/srv/fm/li1', regexp: '^Nope (\\d+)', line: 'Nope \\1', backrefs: true } }] },
    { name: 'lineinfile backrefs with a named group', roots: ['srv/fm/li2'], tasks: [{ lineinfile: { path: '/srv/fm/li2', regexp: '^User (?P<u>\\w+)$', line: 'User \\g<u>-x', backrefs: true } }] },
    { name: 'lineinfile insertbefore a match', roots: ['srv/fm/li3'], tasks: [{ lineinfile: { path: '/srv/fm/li3', line: 'Before user', insertbefore: '^User' } }] },
    { name: 'lineinfile insertbefore a missing match appends', roots: ['srv/fm/li4'], tasks: [{ lineinfile: { path: '/srv/fm/li4', line: 'At end', insertbefore: '^Nothing' } }] },
    { name: 'lineinfile create with owner in a missing directory', roots: ['srv/fm/lnew'], tasks: [{ lineinfile: { path: '/srv/fm/lnew/f', line: 'x', create: true, owner: 'nobody', mode: '0640' } }] },
    { name: 'lineinfile insertafter EOF with an existing line elsewhere', roots: ['srv/fm/li5'], tasks: [{ lineinfile: { path: '/srv/fm/li5', line: 'Port 22', insertafter: 'EOF' } }] },
    { name: 'lineinfile firstmatch insertafter', roots: ['srv/fm/li6'], tasks: [{ lineinfile: { path: '/srv/fm/li6', line: 'X', insertafter: '^(Port|User)', firstmatch: true } }] },
    { name: 'lineinfile with backup', roots: ['srv/fm/li7'], tasks: [{ lineinfile: { path: '/srv/fm/li7', line: 'b', backup: true }, register: 'lb' }, ...backupChecked('lb', '/srv/fm/li7', 'a\\n', 'backup')] },
    { name: 'blockinfile with backup', roots: ['srv/fm/bb'], tasks: [{ blockinfile: { path: '/srv/fm/bb', block: 'x', backup: true }, register: 'bb' }, ...backupChecked('bb', '/srv/fm/bb', 'a\\n')] },
    { name: 'replace with backup', roots: ['srv/fm/rb'], tasks: [{ replace: { path: '/srv/fm/rb', regexp: '^a$', replace: 'z', backup: true }, register: 'rb' }, ...backupChecked('rb', '/srv/fm/rb', 'a\\n')] },
    { name: 'touch with preserved times and a mode', roots: ['srv/fm/tp'], tasks: [{ file: { path: '/srv/fm/tp', state: 'touch', mode: '0600', modification_time: 'preserve', access_time: 'preserve' } }] },
    {
      name: 'touch with an explicit modification time', roots: ['srv/fm/tm'],
      tasks: [
        { file: { path: '/srv/fm/tm', state: 'touch', modification_time: '202001020304.05', access_time: 'preserve' } },
        { stat: { path: '/srv/fm/tm' }, register: 'tm' },
        // under --check play's stat of a path an earlier task changes is predicted, without times: checked in real runs only
        { assert: { that: ['tm.stat.mtime | int == 1577934245'] }, when: 'not ansible_check_mode' },
      ],
    },
    { name: 'an access time now on an existing file', roots: ['srv/fm/ta'], tasks: [{ file: { path: '/srv/fm/ta', access_time: 'now' } }] },
    { name: 'a time that does not match its format', roots: ['srv/fm/tx'], tasks: [{ file: { path: '/srv/fm/tx', state: 'touch', modification_time: '2020-01-02', modification_time_format: '%Y%m%d' } }] },
  ],
};
