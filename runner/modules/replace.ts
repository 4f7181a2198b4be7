// replace: every match of a Python regex (MULTILINE) in a file, optionally only in the section
// between `after` and `before` (DOTALL), becomes `replace`. Probe: 1 exec, which reads the file.
import { defineModule, type Decision } from './types.js';
import type { ContentProbe } from './content-file.js';
import { decideTextEdit, foldAliases, LINEINFILE_MAX, overlayTextFile, predictTextFile, probeTextFile } from './text-edit.js';
import { pyRegex, pySubn } from './pyre.js';
import type { ModeSpec } from './mode.js';
import type { DecideContext } from './types.js';

export interface ReplaceArgs {
  path: string;
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
  backup?: boolean;
  validate?: string;
  encoding?: string;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
}

export type ReplaceEdit = { ok: true; text: string; count: number; note?: string } | { ok: false; msg: string };

/** Pure: the module's text transformation. */
export function replaceText(text: string, a: Pick<ReplaceArgs, 'regexp' | 'replace' | 'after' | 'before'>): ReplaceEdit {
  let start = 0;
  let end = text.length;
  const pattern = a.after && a.before ? `${a.after}(?P<subsection>.*?)${a.before}` : a.after ? `${a.after}(?P<subsection>.*)` : a.before ? `(?P<subsection>.*)${a.before}` : '';
  if (pattern) {
    const sec = pyRegex(pattern, { dotall: true });
    if (!sec.ok) return sec;
    const m = sec.re.exec(text);
    const idx = m?.indices?.groups?.subsection;
    if (!m || !idx) return { ok: true, text, count: 0, note: `Pattern for before/after params did not match the given file: ${pattern}` };
    [start, end] = idx;
  }
  const re = pyRegex(a.regexp, { multiline: true });
  if (!re.ok) return re;
  const section = text.slice(start, end);
  const r = pySubn(re.re, a.replace ?? '', section);
  if (r.count === 0 || r.text === section) return { ok: true, text, count: 0 };
  return { ok: true, text: text.slice(0, start) + r.text + text.slice(end), count: r.count };
}

export function decideReplace(args: ReplaceArgs, probe: ContentProbe, ctx: DecideContext): Decision {
  const { info } = probe;
  const path = info.path;
  if (info.isDir) return { kind: 'fail', msg: `Path ${path} is a directory !` };
  if (info.type === 'absent' || (info.type === 'link' && info.mode === undefined)) return { kind: 'fail', msg: `Path ${args.path} does not exist !` };
  if (info.content === undefined) return { kind: 'fail', msg: `Unable to read the contents of ${path} (unreadable or over ${LINEINFILE_MAX} bytes)` };
  const r = replaceText(info.content.toString('utf8'), args);
  if (!r.ok) return { kind: 'fail', msg: r.msg };
  // a followed link is edited in place: its target is the file
  return decideTextEdit(args, { ...probe, info: { ...info, type: 'file' } }, ctx, {
    text: r.text,
    noopReason: `${path}: ${r.note ?? `no match of ${JSON.stringify(args.regexp)} needs replacing`}`,
    ...(r.count > 0 ? { changed: { verb: `make ${r.count} replacement(s) in ${path}`, msg: `${r.count} replacements made` } } : {}),
  });
}

const ALIASES: Record<string, string> = { dest: 'path', destfile: 'path', name: 'path' };

export const replaceModule = defineModule<ReplaceArgs, ContentProbe>({
  name: 'replace',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'regexp'],
    properties: {
      path: { type: 'string', minLength: 1 },
      regexp: { type: 'string' },
      replace: { type: 'string' },
      after: { type: 'string' },
      before: { type: 'string' },
      backup: { type: 'boolean' },
      validate: { type: 'string' },
      encoding: { enum: ['utf-8', 'utf8', 'UTF-8'] },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
  },
  normalize: foldAliases(ALIASES),
  probe: probeTextFile,
  overlay: overlayTextFile,
  predict: predictTextFile,
  decide: decideReplace,
});
