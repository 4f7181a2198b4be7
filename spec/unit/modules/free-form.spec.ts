// `command:`/`shell:` free-form strings, split as Ansible's parse_kv(check_raw=True) splits them (the
// oracle, run from Debian's ansible-core): the k=v options come out, the command keeps every byte
// else, the newlines of a `shell: |` block and the spaces inside quotes included.
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { parseFreeForm } from '../../../runner/modules/command-core.js';

function ansible(s: string): Record<string, string> {
  const code = 'import json,sys\nfrom ansible.parsing.splitter import parse_kv\nprint(json.dumps(parse_kv(sys.stdin.read(), check_raw=True)))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code], { input: s, encoding: 'utf8' })) as Record<string, string>;
}

describe('command and shell free-form strings (Ansible is the oracle)', () => {
  const samples = [
    'echo a\necho b\n',
    'for i in 1 2; do\n  echo $i\ndone\n',
    'echo "a    b"   c  creates=/x',
    'ls  -l\n  chdir=/tmp',
    'echo x > /tmp/y removes=/z',
    'a=1 echo hi',
  ];
  for (const s of samples) {
    it(JSON.stringify(s), () => {
      const { _raw_params: raw, ...opts } = ansible(s);
      const got = parseFreeForm(s);
      const { cmd, ...rest } = got;
      expect(rest).to.deep.equal(opts);
      expect(cmd).to.equal(raw!.trim());
    });
  }
});
