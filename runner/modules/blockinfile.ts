// blockinfile: a block of lines between two marker lines, inserted, updated or removed.
// Probe: 1 exec, which reads the file (a symlink is followed, as Ansible writes realpath).
import { defineModule } from './types.js';
import { describeAttrs } from './fileinfo.js';
import { decideContent, overlayContent, parseContentProbe, predictContent, type ContentProbe } from './content-file.js';
import { lineinfileProbeScript, LINEINFILE_MAX } from './lineinfile.js';
import { editBlock } from './blockinfile-edit.js';
import type { ModeSpec } from './mode.js';

export interface BlockinfileArgs {
  path: string;
  state?: 'present' | 'absent';
  marker?: string;
  marker_begin?: string;
  marker_end?: string;
  block?: string;
  insertafter?: string;
  insertbefore?: string;
  create?: boolean;
  backup?: boolean;
  validate?: string;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
}

const ALIASES: Record<string, string> = { dest: 'path', destfile: 'path', name: 'path', content: 'block' };

export const blockinfileModule = defineModule<BlockinfileArgs, ContentProbe>({
  name: 'blockinfile',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
      marker: { type: 'string' },
      marker_begin: { type: 'string' },
      marker_end: { type: 'string' },
      block: { type: 'string' },
      insertafter: { type: 'string' },
      insertbefore: { type: 'string' },
      create: { type: 'boolean' },
      backup: { type: 'boolean' },
      validate: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    not: { required: ['insertafter', 'insertbefore'] },
  },
  normalize(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [alias, key] of Object.entries(ALIASES)) if (alias in r) { if (!(key in r)) r[key] = r[alias]; delete r[alias]; }
    return r;
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(lineinfileProbeScript(args.path));
    if (r.code !== 0) throw new Error(`probe of ${args.path} failed (rc ${r.code}): ${r.stderr.trim()}`);
    return parseContentProbe(r.stdout, args.path);
  },
  overlay: (_args, probe, view) => overlayContent(probe, view),
  // --check: the file as the decision's write leaves it (or as it is, when only attributes change)
  predict(args, probe, d, view) {
    const put = d.steps.find((s) => s.kind === 'put');
    return predictContent({ ...args, dest: probe.info.path }, put?.kind === 'put' ? put.content : probe.info.content, probe, view);
  },
  decide(args, probe, ctx) {
    const state = args.state ?? 'present';
    const { info } = probe;
    const path = info.path;
    if (info.isDir) return { kind: 'fail', msg: `Path ${path} is a directory !` };
    const exists = info.type === 'file' || info.isReg === true;
    if (!exists) {
      if (!args.create) return { kind: 'fail', msg: `Path ${args.path} does not exist !` };
      if (state === 'absent') return { kind: 'noop', reason: `File ${args.path} not present` };
    }
    if (exists && info.content === undefined) return { kind: 'fail', msg: `${path} could not be read (unreadable or over ${LINEINFILE_MAX} bytes)` };
    const r = editBlock(exists ? info.content!.toString('utf8') : undefined, {
      state, block: args.block ?? '', marker: args.marker ?? '# {mark} ANSIBLE MANAGED BLOCK',
      marker_begin: args.marker_begin ?? 'BEGIN', marker_end: args.marker_end ?? 'END',
      insertafter: args.insertafter, insertbefore: args.insertbefore,
    });
    if (!r.ok) return { kind: 'fail', msg: r.msg };
    const d = decideContent({ ...args, dest: path }, Buffer.from(r.text, 'utf8'), probe, ctx, { makeParents: true });
    if (d.kind === 'noop') return { ...d, reason: `${path} already has the block as asked (${state}); ${describeAttrs(info)}` };
    if (d.kind === 'change' && r.msg !== '') {
      const attrs = d.summary.includes(', ') ? d.summary.slice(d.summary.indexOf(', ')) : '';
      const verb = r.msg === 'Block removed' ? `remove the block from ${path}` : r.msg === 'File created' ? `create ${path} with the block` : `insert or update the block in ${path}`;
      return { ...d, summary: `${verb}${attrs}`, result: { ...d.result, msg: r.msg } };
    }
    return d;
  },
});
