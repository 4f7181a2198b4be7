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

export function decideTempfile(a: TempfileArgs): Decision {
  if (a.prefix !== undefined && a.prefix.includes('/')) return { kind: 'fail', msg: `tempfile: prefix must not contain '/': ${a.prefix}` };
  const what = a.state === 'directory' ? 'directory' : 'file';
  return {
    kind: 'change',
    summary: `create a temporary ${what} in ${a.path ?? '$TMPDIR'}`,
    steps: [{ kind: 'exec', describe: `mktemp (${what})`, cmd: tempfileCommand(a), interpret: (out) => (out.code === 0 ? { result: { path: out.stdout.trim() } } : { fail: `mktemp exited ${out.code}: ${out.stderr.trim()}` }) }],
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
