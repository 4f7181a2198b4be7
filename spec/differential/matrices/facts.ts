// Modules that read the host or only the play (stat, tempfile, getent, set_fact, include_vars, assert,
// debug, fail, wait_for): their results are checked by assert tasks, so a field play returns
// differently from Ansible fails that task under play only, and the statuses differ. (A missing include_vars file is refused by play at load time, before any
// host is touched, so it has no case here.)
import type { DiffMatrix } from '../matrix.js';

export const FACTS: DiffMatrix = {
  module: 'facts',
  setup: 'mkdir -p /srv/fa/d && printf "hello\\n" > /srv/fa/f && chmod 640 /srv/fa/f && chown nobody:nogroup /srv/fa/f && ln -s f /srv/fa/lnk && ln -s nowhere /srv/fa/dangling && mkdir -p /srv/fa/tmp',
  files: { 'vars/app.yml': 'app_port: 8080\napp_list: [a, b]\napp_nested:\n  k: v\n' },
  cases: [
    {
      name: 'stat a regular file', roots: [],
      tasks: [
        { stat: { path: '/srv/fa/f' }, register: 's' },
        { assert: { that: ['s.stat.exists', 's.stat.isreg', 'not s.stat.isdir', "s.stat.mode == '0640'", "s.stat.pw_name == 'nobody'", "s.stat.gr_name == 'nogroup'", 's.stat.size == 6', "s.stat.checksum == 'f572d396fae9206628714fb2ce00f72e94f2258f'", 's.stat.readable', 's.stat.uid == 65534', 's.stat.islnk == false', 's.changed == false'] } },
      ],
    },
    { name: 'stat a missing path', roots: [], tasks: [{ stat: { path: '/srv/fa/none' }, register: 's' }, { assert: { that: ['not s.stat.exists', 's.stat | length == 1'] } }] },
    { name: 'stat a directory', roots: [], tasks: [{ stat: { path: '/srv/fa/d' }, register: 's' }, { assert: { that: ['s.stat.isdir', "s.stat.mode == '0755'", 's.stat.checksum is not defined'] } }] },
    {
      name: 'stat a link, with and without follow', roots: [],
      tasks: [
        { stat: { path: '/srv/fa/lnk' }, register: 's' },
        { assert: { that: ['s.stat.islnk', "s.stat.lnk_source == '/srv/fa/f'", "s.stat.lnk_target == 'f'", 'not s.stat.isreg'] } },
        { stat: { path: '/srv/fa/lnk', follow: true }, register: 't' },
        { assert: { that: ['t.stat.isreg', 'not t.stat.islnk', 't.stat.size == 6'] } },
        { stat: { path: '/srv/fa/dangling' }, register: 'u' },
        { assert: { that: ['u.stat.exists', 'u.stat.islnk'] } },
      ],
    },
    { name: 'stat with sha256 and no checksum', roots: [], tasks: [
      { stat: { path: '/srv/fa/f', checksum_algorithm: 'sha256' }, register: 's' },
      { assert: { that: ["s.stat.checksum == '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03'"] } },
      { stat: { path: '/srv/fa/f', get_checksum: false }, register: 't' },
      { assert: { that: ['t.stat.checksum is not defined'] } },
    ] },
    {
      name: 'tempfile, file and directory', roots: [], differs: { check: 'docs/check-mode.md: Ansible skips tempfile under --check; play reports the change a real run makes' },
      tasks: [
        { tempfile: { path: '/srv/fa/tmp', prefix: 'pre.', suffix: '.suf' }, register: 't' },
        { assert: { that: ["t.path.startswith('/srv/fa/tmp/pre.')", "t.path.endswith('.suf')", "t.state == 'file'"] }, when: 'not ansible_check_mode' },
        { file: { path: '{{ t.path }}', state: 'absent' }, when: 'not ansible_check_mode' },
        { tempfile: { state: 'directory', path: '/srv/fa/tmp' }, register: 'd' },
        { assert: { that: ["d.state == 'directory'", "d.path.startswith('/srv/fa/tmp/ansible.')"] }, when: 'not ansible_check_mode' },
        { file: { path: '{{ d.path }}', state: 'absent' }, when: 'not ansible_check_mode' },
      ],
    },
    { name: 'tempfile in a missing directory', roots: [], differs: { check: 'docs/check-mode.md: Ansible skips tempfile under --check; play reports the change a real run makes' }, tasks: [{ tempfile: { path: '/srv/fa/nodir' } }] },
    {
      name: 'getent passwd and group', roots: [],
      tasks: [
        { getent: { database: 'passwd', key: 'nobody' } },
        { assert: { that: ["getent_passwd.nobody[1] == '65534'", "getent_passwd.nobody[5] == '/usr/sbin/nologin'"] } },
        { getent: { database: 'group', key: 'nogroup' }, register: 'g' },
        { assert: { that: ["getent_group.nogroup[1] == '65534'", "g.ansible_facts.getent_group.nogroup is defined"] } },
        { getent: { database: 'passwd' } },
        { assert: { that: ["'root' in getent_passwd", "getent_passwd.root[0] == '0'"] } },
      ],
    },
    { name: 'getent a missing key', roots: [], tasks: [{ getent: { database: 'passwd', key: 'no-such-user' } }] },
    { name: 'getent a missing key, fail_key false', roots: [], tasks: [{ getent: { database: 'passwd', key: 'no-such-user', fail_key: false } }, { assert: { that: ['getent_passwd["no-such-user"] is none'] } }] },
    { name: 'getent with split', roots: [], tasks: [{ getent: { database: 'shadow', key: 'root', split: ':' } }, { assert: { that: ['getent_shadow.root | length == 8'] } }] },
    {
      name: 'set_fact, then use it', roots: [],
      tasks: [
        { set_fact: { sf_a: 1, sf_b: '{{ [1, 2] | length }}', sf_c: { k: 'v' } }, register: 'r' },
        { assert: { that: ['sf_a == 1', 'sf_b | int == 2', "sf_c.k == 'v'", 'r.changed == false', "r.ansible_facts.sf_a == 1"] } },
        { set_fact: { sf_d: '{{ sf_a + 1 }}', cacheable: true } },
        { assert: { that: ['sf_d | int == 2'] } },
      ],
    },
    {
      name: 'include_vars from a file and into a name', roots: [],
      tasks: [
        { include_vars: { file: 'vars/app.yml' }, register: 'r' },
        { assert: { that: ['app_port == 8080', "app_list == ['a', 'b']", "app_nested.k == 'v'", "r.ansible_included_var_files | length == 1"] } },
        { include_vars: { file: 'vars/app.yml', name: 'ns' } },
        { assert: { that: ['ns.app_port == 8080'] } },
      ],
    },
    { name: 'assert with a msg that fails', roots: [], tasks: [{ assert: { that: ['1 == 2'], fail_msg: 'nope' } }] },
    { name: 'assert quiet and success_msg', roots: [], tasks: [{ assert: { that: '1 == 1', quiet: true, success_msg: 'fine' }, register: 'a' }, { assert: { that: ['a.changed == false'] } }] },
    { name: 'debug msg and var', roots: [], tasks: [{ debug: { msg: 'hi {{ 1 + 1 }}' }, register: 'd' }, { assert: { that: ["d.msg == 'hi 2'"] } }, { debug: { var: 'd.msg' } }] },
    { name: 'fail', roots: [], tasks: [{ fail: { msg: 'on purpose' } }] },
    { name: 'fail when false', roots: [], tasks: [{ fail: { msg: 'never' }, when: 'false' }] },
    {
      name: 'wait_for a path and a port', roots: [], differs: { check: 'docs/check-mode.md: Ansible skips wait_for under --check; play looks once and reports what it saw' }, 
      tasks: [
        { wait_for: { path: '/srv/fa/f', timeout: 5 } },
        { wait_for: { path: '/srv/fa/f', search_regex: 'hel+o', timeout: 5 } },
        { wait_for: { port: 22, host: '{{ ansible_host }}', timeout: 5 } },
        { wait_for: { path: '/srv/fa/none', state: 'absent', timeout: 5 } },
      ],
    },
    { name: 'wait_for a missing path times out', roots: [], differs: { check: 'docs/check-mode.md: Ansible skips wait_for under --check; play looks once and reports what it saw' }, tasks: [{ wait_for: { path: '/srv/fa/none', timeout: 1 } }] },
    { name: 'wait_for a closed port times out', roots: [], differs: { check: 'docs/check-mode.md: Ansible skips wait_for under --check; play looks once and reports what it saw' }, tasks: [{ wait_for: { port: 1, host: '127.0.0.1', timeout: 1 } }] },
  ],
};
