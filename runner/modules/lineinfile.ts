// lineinfile: make sure one line is (or is not) in a file. Probe: 1 exec, which reads the file.
import { defineModule } from './types.js';
import { quote } from '../shell-quote.js';
import { describeAttrs, fileProbeLines, FOLLOW_P, PARENT_OF_P } from './fileinfo.js';
import { decideContent, overlayContent, parseContentProbe, predictContent, type ContentProbe } from './content-file.js';
import { editLines, type LineEdit } from './lineinfile-edit.js';
import type { ModeSpec } from './mode.js';

export interface LineinfileArgs {
  path: string;
  line?: string;
  regexp?: string;
  search_string?: string;
  state?: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
  create?: boolean;
  backup?: boolean;
  validate?: string;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
}

/** Files bigger than this are not read back (lineinfile is for config files). */
export const LINEINFILE_MAX = 16 * 1024 * 1024;

const ALIASES: Record<string, string> = { dest: 'path', destfile: 'path', name: 'path', regex: 'regexp', value: 'line' };

/** A symlink is followed (Ansible writes os.path.realpath(path)): the target is edited, the link stays. */
export function lineinfileProbeScript(path: string): string {
  return [
    `p=${quote(path)}`,
    FOLLOW_P,
    `${PARENT_OF_P}; if [ -d "$d" ]; then echo parent=yes; else echo parent=no; fi`,
    fileProbeLines({ checksum: 'sha256', contentMax: LINEINFILE_MAX }),
  ].join('\n');
}

export const lineinfileModule = defineModule<LineinfileArgs, ContentProbe>({
  name: 'lineinfile',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1 },
      line: { type: 'string' },
      regexp: { type: 'string' },
      search_string: { type: 'string' },
      state: { enum: ['present', 'absent'] },
      insertafter: { type: 'string' },
      insertbefore: { type: 'string' },
      backrefs: { type: 'boolean' },
      firstmatch: { type: 'boolean' },
      create: { type: 'boolean' },
      backup: { type: 'boolean' },
      validate: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    not: { anyOf: [{ required: ['insertafter', 'insertbefore'] }, { required: ['regexp', 'search_string'] }] },
  },
  normalize(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [alias, key] of Object.entries(ALIASES)) {
      if (alias in r) {
        if (!(key in r)) r[key] = r[alias];
        delete r[alias];
      }
    }
    return r;
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(lineinfileProbeScript(args.path));
    if (r.code !== 0) throw new Error(`probe of ${args.path} failed (rc ${r.code}): ${r.stderr.trim()}`);
    return parseContentProbe(r.stdout, args.path);
  },
  overlay: (_args, probe, view) => overlayContent(probe, view),
  predict(args, probe, _d, view) {
    const exists = probe.info.type === 'file' || probe.info.isReg === true;
    const r = editLines(exists ? (probe.info.content?.toString('utf8') ?? '') : '', { ...args, state: args.state ?? 'present' });
    if (!r.ok || (exists && probe.info.content === undefined)) return [{ kind: 'opaque', what: `edit ${probe.info.path}` }];
    return predictContent({ ...args, dest: probe.info.path }, Buffer.from(r.text, 'utf8'), probe, view);
  },
  decide(args, probe, ctx) {
    const state = args.state ?? 'present';
    const { info } = probe;
    const path = info.path;
    if (info.isDir) return { kind: 'fail', msg: `${path} is a directory !` };
    const exists = info.type === 'file' || info.isReg === true;
    if (!exists) {
      if (state === 'absent') return { kind: 'noop', reason: `${path} does not exist, so there is no line to remove` };
      if (!args.create) return { kind: 'fail', msg: `Destination ${path} does not exist !` };
    }
    if (exists && info.content === undefined) return { kind: 'fail', msg: `${path} could not be read (unreadable or over ${LINEINFILE_MAX} bytes)` };
    const before = exists ? info.content!.toString('utf8') : '';
    const edit: LineEdit = { ...args, state };
    const r = editLines(before, edit);
    if (!r.ok) return { kind: 'fail', msg: r.msg };
    // Ansible's lineinfile names its backup `backup`, "" when it made none
    const content = decideContent({ ...args, dest: path }, Buffer.from(r.text, 'utf8'), probe, ctx, { makeParents: true, backupKey: 'backup' });
    const d = content.kind === 'fail' ? content : { ...content, result: { backup: '', ...content.result } };
    if (d.kind === 'noop') {
      const what = state === 'absent' ? `has no line matching ${args.regexp ?? args.search_string ?? args.line}` : `already has the line ${JSON.stringify(args.line)}`;
      return { ...d, reason: `${path} ${what}; ${describeAttrs(info)}` };
    }
    if (d.kind === 'change' && r.changed) return { ...d, summary: `${editVerb(r.msg, path)}${d.summary.includes(', ') ? d.summary.slice(d.summary.indexOf(', ')) : ''}` };
    return d;
  },
});

/** "line added" -> "add a line to PATH": a summary reads as an action, also after check mode's "would". */
function editVerb(msg: string, path: string): string {
  if (msg === 'line added') return `add a line to ${path}`;
  if (msg === 'line replaced') return `replace a line in ${path}`;
  const removed = /^(\d+) line\(s\) removed$/.exec(msg);
  if (removed) return `remove ${removed[1]} line(s) from ${path}`;
  return `${path}: ${msg}`;
}
