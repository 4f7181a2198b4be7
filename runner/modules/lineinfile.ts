// lineinfile: make sure one line is (or is not) in a file. Probe: 1 exec, which reads the file.
import { defineModule } from './types.js';
import { predictContent, type ContentProbe } from './content-file.js';
import { decideTextEdit, foldAliases, LINEINFILE_MAX, overlayTextFile, probeTextFile } from './text-edit.js';
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

const ALIASES: Record<string, string> = { dest: 'path', destfile: 'path', name: 'path', regex: 'regexp', value: 'line' };

export { LINEINFILE_MAX, lineinfileProbeScript } from './text-edit.js';

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
  normalize: foldAliases(ALIASES),
  probe: probeTextFile,
  overlay: overlayTextFile,
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
    const what = state === 'absent' ? `has no line matching ${args.regexp ?? args.search_string ?? args.line}` : `already has the line ${JSON.stringify(args.line)}`;
    return decideTextEdit(args, probe, ctx, { text: r.text, noopReason: `${path} ${what}`, ...(r.changed ? { changed: { verb: editVerb(r.msg, path) } } : {}) }, { makeParents: true });
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
