// tempfile: a new temporary file (0600) or directory (0700) named prefix + random + suffix, made by
// mktemp on the host. Always a change, as in Ansible; the path it made is the result's `path`.
import { defineModule, type Decision } from './types.js';
import { quote } from '../shell-quote.js';

export interface TempfileArgs {
  state?: 'file' | 'directory';
  path?: string;
  prefix?: string;
  suffix?: string;
}

export function tempfileCommand(a: TempfileArgs): string {
  const dir = a.path !== undefined ? quote(a.path) : '"${TMPDIR:-/tmp}"';
  const suffix = a.suffix ? ` --suffix=${quote(a.suffix)}` : '';
  return `mktemp${a.state === 'directory' ? ' -d' : ''} -p ${dir}${suffix} -- ${quote(`${a.prefix ?? 'ansible.'}XXXXXXXX`)}`;
}

/** After mktemp: the made path's uid, gid, owner, group, mode and size, which Ansible's result carries. */
const ATTRS = 'stat -c \'%u %g %U %G %a %s\' -- "$t"';

/** mktemp's path (first line) and the attributes line after it, as Ansible's result: path, state, uid, gid, owner, group, mode, size. */
export function tempfileResult(stdout: string, state: 'file' | 'directory'): Record<string, unknown> {
  const [path = '', attrs] = stdout.trim().split('\n');
  const f = attrs?.trim().split(' ');
  if (!f || f.length !== 6) return { path };
  const [uid, gid, owner, group, mode, size] = f as [string, string, string, string, string, string];
  return { path, state, uid: Number(uid), gid: Number(gid), owner, group, mode: mode.padStart(4, '0'), size: Number(size) };
}

export function decideTempfile(a: TempfileArgs): Decision {
  if (a.prefix !== undefined && a.prefix.includes('/')) return { kind: 'fail', msg: `tempfile: prefix must not contain '/': ${a.prefix}` };
  const what = a.state === 'directory' ? 'directory' : 'file';
  return {
    kind: 'change',
    summary: `create a temporary ${what} in ${a.path ?? '$TMPDIR'}`,
    steps: [{
      kind: 'exec', describe: `mktemp (${what})`, cmd: `t=$(${tempfileCommand(a)}) || exit $?; printf '%s\\n' "$t"; ${ATTRS}`,
      interpret: (out) => (out.code === 0 ? { result: tempfileResult(out.stdout, what) } : { fail: `mktemp exited ${out.code}: ${out.stderr.trim()}` }),
    }],
  };
}

export const tempfileModule = defineModule<TempfileArgs, null>({
  name: 'tempfile',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      state: { enum: ['file', 'directory'] },
      path: { type: 'string', minLength: 1 },
      prefix: { type: 'string' },
      suffix: { type: 'string' },
    },
  },
  // Each run makes a new path: a recorded one says nothing about the host now.
  verifiable: () => false,
  probe: async () => null,
  decide: (args) => decideTempfile(args),
});
