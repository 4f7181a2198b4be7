// Pure block editing with the semantics of Ansible's blockinfile main(): markers, insertafter /
// insertbefore (EOF, BOF, a Python regex; the last matching line wins), removal.
import { pyRegex } from './pyre.js';

export interface BlockEdit {
  state: 'present' | 'absent';
  block: string;
  marker: string;
  marker_begin: string;
  marker_end: string;
  insertafter?: string;
  insertbefore?: string;
}

export type BlockResult = { ok: true; text: string; msg: '' | 'File created' | 'Block removed' | 'Block inserted' } | { ok: false; msg: string };

/** bytes.splitlines(True): after \r\n, \r or \n, keeping them. */
export function splitKeep(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** `original` undefined: the file does not exist (create). */
export function editBlock(original: string | undefined, e: BlockEdit): BlockResult {
  const lines = original === undefined ? [] : splitKeep(original);
  const present = e.state === 'present';
  let insertafter = e.insertafter;
  const insertbefore = e.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  let insertre: RegExp | undefined;
  let multiline = false;
  const pat = insertafter !== undefined && insertafter !== 'EOF' ? insertafter : insertbefore !== undefined && insertbefore !== 'BOF' ? insertbefore : undefined;
  if (pat !== undefined) {
    const r = pyRegex(pat);
    if (!r.ok) return r;
    insertre = r.re;
    multiline = r.re.multiline;
  }
  const marker0 = `${e.marker.split('{mark}').join(e.marker_begin)}\n`;
  const marker1 = `${e.marker.split('{mark}').join(e.marker_end)}\n`;
  let blocklines: string[] = [];
  if (present && e.block !== '') {
    const block = e.block.endsWith('\n') ? e.block : `${e.block}\n`;
    blocklines = [marker0, ...splitKeep(block), marker1];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => { if (l === marker0) n0 = i; if (l === marker1) n1 = i; });
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insertre !== undefined) {
      if (multiline) {
        insertre.lastIndex = 0;
        const m = insertre.exec(original ?? '');
        if (m) {
          const upto = insertafter !== undefined ? m.index + m[0].length : m.index;
          n0 = ((original ?? '').slice(0, upto).match(/\n/g) ?? []).length;
        }
      } else {
        lines.forEach((l, i) => { insertre!.lastIndex = 0; if (insertre!.test(l)) n0 = i; });
      }
      if (n0 === undefined) n0 = lines.length;
      else if (insertafter !== undefined) n0 += 1;
    } else if (insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1]!.endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blocklines);
  const text = lines.join('');
  if (original === text) return { ok: true, text, msg: '' };
  if (original === undefined) return { ok: true, text, msg: 'File created' };
  return { ok: true, text, msg: blocklines.length === 0 ? 'Block removed' : 'Block inserted' };
}
