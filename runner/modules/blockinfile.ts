// blockinfile: a block of lines between two marker lines, inserted, updated or removed.
// Probe: 1 exec, which reads the file (a symlink is followed, as Ansible writes realpath).
import { defineModule } from './types.js';
import type { ContentProbe } from './content-file.js';
import { decideTextEdit, foldAliases, LINEINFILE_MAX, overlayTextFile, predictTextFile, probeTextFile } from './text-edit.js';
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
  normalize: foldAliases(ALIASES),
  probe: probeTextFile,
  overlay: overlayTextFile,
  predict: predictTextFile,
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
    const verb = r.msg === 'Block removed' ? `remove the block from ${path}` : r.msg === 'File created' ? `create ${path} with the block` : `insert or update the block in ${path}`;
    return decideTextEdit(args, probe, ctx, {
      text: r.text,
      noopReason: `${path} already has the block as asked (${state})`,
      ...(r.msg === '' ? {} : { changed: { verb, msg: r.msg } }),
    }, { makeParents: true });
  },
});
