// Pure line editing with the exact semantics of Ansible's lineinfile present()/absent().

export interface LineEdit {
  state: 'present' | 'absent';
  line?: string;
  regexp?: string;
  search_string?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
}

export type EditResult = { ok: true; text: string; changed: boolean; msg: string; found?: number } | { ok: false; msg: string };

/** Python `re` syntax to JS: named groups and \A \Z. */
export function pyRegex(src: string): RegExp {
  const js = src
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  return new RegExp(js);
}

/** Python's readlines(): split after every \n, keeping it. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const chomp = (l: string): string => l.replace(/[\r\n]+$/, '');
/** Python's `$` also matches before a final \n, so search on the line without it. */
const search = (re: RegExp, l: string): RegExpExecArray | null => re.exec(l.endsWith('\n') ? l.slice(0, -1) : l);

/** Python's match.expand(): \1, \g<1>, \g<name>. */
function expand(m: RegExpExecArray, tmpl: string): string {
  return tmpl.replace(/\\(?:(\d{1,2})|g<(\w+)>)/g, (_all, num: string | undefined, g: string | undefined) => {
    const key = num ?? g!;
    const v = /^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key];
    return v ?? '';
  });
}

function present(lines: string[], a: LineEdit): EditResult {
  const line = a.line ?? '';
  const reM = a.regexp !== undefined ? pyRegex(a.regexp) : undefined;
  const ins = a.insertafter !== undefined && a.insertafter !== 'BOF' && a.insertafter !== 'EOF' ? a.insertafter
    : a.insertbefore !== undefined && a.insertbefore !== 'BOF' ? a.insertbefore : undefined;
  const reIns = ins !== undefined ? pyRegex(ins) : undefined;
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  if (reM) {
    for (let i = 0; i < lines.length; i++) {
      const m = search(reM, lines[i]!);
      if (m) { index[0] = i; match = m; if (a.firstmatch) break; }
    }
  }
  if (a.search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(a.search_string)) { index[0] = i; match = true; if (a.firstmatch) break; }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (chomp(lines[i]!) === line) { index[0] = i; }
      else if (reIns && search(reIns, lines[i]!)) {
        if (a.insertafter) { index[1] = i + 1; if (a.firstmatch) break; }
        if (a.insertbefore) { index[1] = i; if (a.firstmatch) break; }
      }
    }
  }
  let msg = '';
  const add = (at: number): void => { lines.splice(at, 0, line + '\n'); msg = 'line added'; };
  const fixLastEol = (): void => { if (lines.length > 0 && !/[\n\r]$/.test(lines[lines.length - 1]!)) lines[lines.length - 1] += '\n'; };
  if (index[0] !== -1) {
    let newLine = a.backrefs && match && match !== true ? expand(match, line) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    // index[0] is only set by a match or an exact line, so Ansible's insert branch here is dead.
    if (lines[index[0]!] !== newLine) {
      lines[index[0]!] = newLine;
      msg = 'line replaced';
    }
  } else if (a.backrefs) {
    // backrefs with no match leaves the file alone.
  } else if (a.insertbefore === 'BOF' || a.insertafter === 'BOF') {
    add(0);
  } else if (a.insertafter === 'EOF' || index[1] === -1) {
    if (lines.length > 0 && !/[\n\r]$/.test(lines[lines.length - 1]!)) lines.push('\n');
    lines.push(line + '\n');
    msg = 'line added';
  } else if (a.insertafter && index[1] !== -1) {
    fixLastEol();
    if (lines.length === index[1]) {
      if (chomp(lines[index[1]! - 1]!) !== line) add(lines.length);
    } else if (line !== chomp(lines[index[1]!]!)) add(index[1]!);
  } else {
    add(index[1]!);
  }
  return { ok: true, text: lines.join(''), changed: msg !== '', msg };
}

function absent(lines: string[], a: LineEdit): EditResult {
  const re = a.regexp !== undefined ? pyRegex(a.regexp) : undefined;
  let found = 0;
  const kept = lines.filter((l) => {
    const hit = re ? search(re, l) !== null : a.search_string !== undefined ? l.includes(a.search_string) : chomp(l) === a.line;
    if (hit) found++;
    return !hit;
  });
  return { ok: true, text: kept.join(''), changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}

/** Applies the edit to the file text. */
export function editLines(text: string, a: LineEdit): EditResult {
  try {
    if (a.state === 'absent') return absent(splitLines(text), a);
    if (a.line === undefined) return { ok: false, msg: 'line is required with state=present' };
    if (a.backrefs && a.regexp === undefined) return { ok: false, msg: 'regexp is required with backrefs=true' };
    return present(splitLines(text), a);
  } catch (e) {
    return { ok: false, msg: `bad regular expression: ${(e as Error).message}` };
  }
}
