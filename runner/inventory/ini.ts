// Ansible's INI inventory -> the same document shape as the YAML inventory, so one resolver serves
// both. Semantics checked against `ansible-inventory --list -i FILE` (ansible-core 2.14):
//   hosts before any section are `ungrouped`; `[g]` hosts, `[g:vars]` key=value, `[g:children]` names;
//   host lines are split like a shell (quotes, `#` comments) and `host:port` sets ansible_port;
//   `web[01:03]` ranges expand; every value goes through Python literal_eval (`5`, `True`, `[1]`),
//   anything else stays a string (`true`, `yes`, `a b c`). Pure.
import type { Diagnostic, SourcePos, Vars } from '../types.js';
import { expandHostRange } from './host-range.js';
import { pyLiteral } from './py-literal.js';

interface IniGroup {
  hosts: Record<string, Vars | null>;
  children: Record<string, null>;
  vars: Vars;
}

export interface IniInventory {
  data: Record<string, IniGroup>;
  hostPos: Record<string, SourcePos>;
  diagnostics: Diagnostic[];
}

type Section = { kind: 'hosts' | 'vars' | 'children'; group: string };

export function parseIniInventory(file: string, text: string): IniInventory {
  const data: Record<string, IniGroup> = {};
  const hostPos: Record<string, SourcePos> = {};
  const diagnostics: Diagnostic[] = [];
  const group = (g: string): IniGroup => (data[g] ??= { hosts: {}, children: {}, vars: {} });
  let section: Section = { kind: 'hosts', group: 'ungrouped' };
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, idx) => {
    const line = rawLine.trim();
    const pos = { file, line: idx + 1, col: rawLine.length - rawLine.trimStart().length + 1 };
    const diag = (message: string) => diagnostics.push({ ...pos, message });
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const head = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(line);
    if (head) {
      const [name, kind = 'hosts', extra] = head[1]!.split(':');
      if (!name || extra !== undefined || !['hosts', 'vars', 'children'].includes(kind)) {
        diag(`section [${head[1]}] is not [group], [group:vars] or [group:children]`);
        section = { kind: 'hosts', group: '\0skip' };
        return;
      }
      section = { kind: kind as Section['kind'], group: name };
      if (name !== 'all' || kind !== 'vars') group(name);
      return;
    }
    if (section.group === '\0skip') return;
    if (section.kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq <= 0) return diag(`expected key=value in [${section.group}:vars], got '${line}'`);
      group(section.group).vars[line.slice(0, eq).trim()] = pyLiteral(line.slice(eq + 1).trim());
      return;
    }
    if (section.kind === 'children') {
      const child = line.split(/\s+/)[0]!;
      group(section.group).children[child] = null;
      group(child);
      return;
    }
    const tokens = shellWords(line);
    if (!tokens.ok) return diag(tokens.message);
    const [pattern, ...rest] = tokens.words;
    if (!pattern) return;
    const vars: Vars = {};
    let port: number | undefined;
    let name = pattern;
    const hp = /^([^:\[\]]+|.*\])(?::(\d+))$/.exec(pattern);
    if (hp && !pattern.includes('::')) {
      name = hp[1]!;
      port = Number(hp[2]);
    }
    for (const kv of rest) {
      const eq = kv.indexOf('=');
      if (eq <= 0) return diag(`host '${pattern}': expected key=value, got '${kv}'`);
      vars[kv.slice(0, eq)] = pyLiteral(kv.slice(eq + 1));
    }
    if (port !== undefined) vars['ansible_port'] = port;
    const expanded = expandHostRange(name);
    if (!expanded.ok) return diag(expanded.message);
    for (const h of expanded.hosts) {
      const g = group(section.group);
      g.hosts[h] = { ...(g.hosts[h] ?? {}), ...vars };
      hostPos[h] ??= pos;
    }
  });
  for (const g of Object.values(data)) {
    for (const [h, v] of Object.entries(g.hosts)) if (v && Object.keys(v).length === 0) g.hosts[h] = null;
  }
  if (data['ungrouped'] && Object.keys(data['ungrouped'].hosts).length === 0 && !Object.keys(data['ungrouped'].vars).length) delete data['ungrouped'];
  return { data, hostPos, diagnostics };
}

type Words = { ok: true; words: string[] } | { ok: false; message: string };

/** Python's shlex.split(line, comments=True) in POSIX mode: quotes, backslashes, `#` comments. */
export function shellWords(line: string): Words {
  const words: string[] = [];
  let cur: string | null = null;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
      i++;
    } else if (c === '#' && cur === null) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, message: `unterminated quote in '${line}'` };
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '\\"$`\n'.includes(line[j + 1]!)) j++;
        s += line[j];
        j++;
      }
      if (j >= line.length) return { ok: false, message: `unterminated quote in '${line}'` };
      cur = (cur ?? '') + s;
      i = j + 1;
    } else if (c === '\\' && i + 1 < line.length) {
      cur = (cur ?? '') + line[i + 1];
      i += 2;
    } else {
      cur = (cur ?? '') + c;
      i++;
    }
  }
  if (cur !== null) words.push(cur);
  return { ok: true, words };
}
