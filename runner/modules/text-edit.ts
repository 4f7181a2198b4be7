// The read-edit-write that lineinfile, blockinfile and replace share: one probe reads the whole file
// (a symlink followed, as Ansible edits os.path.realpath), a pure edit makes the new text, and
// decideContent weighs that text and the attributes exactly as it does for copy and template.
import { quote } from '../shell-quote.js';
import { describeAttrs, fileProbeLines, FOLLOW_P, PARENT_OF_P } from './fileinfo.js';
import { decideContent, overlayContent, parseContentProbe, predictContent, type ContentArgs, type ContentOpts, type ContentProbe } from './content-file.js';
import type { ChangeDecision, Decision, DecideContext, PredictedEffect, PredictView, ProbeContext } from './types.js';

/** Files bigger than this are not read back (these modules are for config files). */
export const LINEINFILE_MAX = 16 * 1024 * 1024;

/** A symlink is followed (Ansible writes os.path.realpath(path)): the target is edited, the link stays. */
export function lineinfileProbeScript(path: string): string {
  return [
    `p=${quote(path)}`,
    FOLLOW_P,
    `${PARENT_OF_P}; if [ -d "$d" ]; then echo parent=yes; else echo parent=no; fi`,
    fileProbeLines({ checksum: 'sha256', contentMax: LINEINFILE_MAX }),
  ].join('\n');
}

/** Ansible's argument aliases (dest, name, ...) folded into their canonical key; the canonical key wins. */
export function foldAliases(aliases: Readonly<Record<string, string>>): (raw: unknown) => unknown {
  return (raw) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const r: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [alias, key] of Object.entries(aliases)) {
      if (!(alias in r)) continue;
      if (!(key in r)) r[key] = r[alias];
      delete r[alias];
    }
    return r;
  };
}

/** The probe hook: one exec reading the file whole. */
export async function probeTextFile(args: { path: string }, ctx: ProbeContext): Promise<ContentProbe> {
  const r = await ctx.conn.exec(lineinfileProbeScript(args.path));
  if (r.code !== 0) throw new Error(`probe of ${args.path} failed (rc ${r.code}): ${r.stderr.trim()}`);
  return parseContentProbe(r.stdout, args.path);
}

/** The overlay hook: what earlier --check tasks planned for this file replaces what the host has. */
export function overlayTextFile(_args: unknown, probe: ContentProbe, view: PredictView): ContentProbe {
  return overlayContent(probe, view);
}

/** --check: the file as the decision's write leaves it (or as it is, when only attributes change). */
export function predictTextFile(args: Omit<ContentArgs, 'dest'>, probe: ContentProbe, d: ChangeDecision, view: PredictView): PredictedEffect[] {
  const put = d.steps.find((s) => s.kind === 'put');
  return predictContent({ ...args, dest: probe.info.path }, put?.kind === 'put' ? put.content : probe.info.content, probe, view);
}

/** What the edit made of the text, in the module's own words. */
export interface TextEdit {
  text: string;
  /** Why nothing changes, before the attributes' description. */
  noopReason: string;
  /** When the text itself changed: the summary's action ("add a line to /etc/x") and the result's msg. */
  changed?: { verb: string; msg?: string };
}

/** Weighs the edited text and the attributes; the summary keeps decideContent's attribute part. */
export function decideTextEdit(args: Omit<ContentArgs, 'dest'>, probe: ContentProbe, ctx: DecideContext, edit: TextEdit, opts: ContentOpts = {}): Decision {
  const d = decideContent({ ...args, dest: probe.info.path }, Buffer.from(edit.text, 'utf8'), probe, ctx, opts);
  if (d.kind === 'noop') return { ...d, reason: `${edit.noopReason}; ${describeAttrs(probe.info)}` };
  if (d.kind !== 'change' || edit.changed === undefined) return d;
  const attrs = d.summary.includes(', ') ? d.summary.slice(d.summary.indexOf(', ')) : '';
  const { verb, msg } = edit.changed;
  return { ...d, summary: `${verb}${attrs}`, ...(msg === undefined ? {} : { result: { ...d.result, msg } }) };
}
