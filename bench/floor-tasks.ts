// The floor's view of a playbook: each task of the bench's Ansible subset (file, copy, template,
// lineinfile, command with creates) as ONE idempotent shell snippet (check, act only if needed, print
// "changed" when it acted). One round trip per task per host is the least any task runner can do.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface FloorTask {
  name: string;
  /** Per host: the snippet to send. */
  script(host: string): string;
}

type Args = Record<string, unknown>;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Plain `{{ var }}` substitution: the only template feature the bench's templates use. */
export function renderSimple(text: string, vars: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, v: string) => {
    if (!(v in vars)) throw new Error(`floor: undefined variable ${v}`);
    return String(vars[v]);
  });
}

function modeOk(p: string, mode: unknown): string {
  return mode === undefined ? 'true' : `[ "$(stat -c %a ${p})" = ${q(String(Number.parseInt(String(mode), 8).toString(8)))} ]`;
}

function contentScript(dest: string, body: string, mode: unknown): string {
  const p = q(dest);
  const m = mode === undefined ? '' : ` && chmod ${q(String(mode))} "$t"`;
  return `if [ -f ${p} ] && ${modeOk(p, mode)} && printf '%s  %s\\n' ${sha(body)} ${p} | sha256sum -c --status 2>/dev/null; then :; `
    + `else t=${q(dest + '.floor-tmp')}; printf '%s' ${q(body)} > "$t"${m} && mv -f "$t" ${p} && echo changed; fi`;
}

function fileScript(a: Args): string {
  const p = q(String(a.path));
  switch (a.state) {
    case 'directory':
      return `if [ -d ${p} ] && ${modeOk(p, a.mode)}; then :; else mkdir -p ${p}${a.mode === undefined ? '' : ` && chmod ${q(String(a.mode))} ${p}`} && echo changed; fi`;
    case 'link':
      return `if [ "$(readlink ${p})" = ${q(String(a.src))} ]; then :; else ln -sfn ${q(String(a.src))} ${p} && echo changed; fi`;
    case 'absent':
      return `if [ -e ${p} ] || [ -L ${p} ]; then rm -rf ${p} && echo changed; fi`;
    default:
      throw new Error(`floor: file state ${String(a.state)} is not in the bench subset`);
  }
}

function lineinfileScript(a: Args): string {
  const p = q(String(a.path));
  const re = a.regexp === undefined ? undefined : q(String(a.regexp));
  const fix = a.mode === undefined ? '' : `${modeOk(p, a.mode)} || { chmod ${q(String(a.mode))} ${p}; c=1; }; `;
  if (a.state === 'absent') {
    if (!re) throw new Error('floor: lineinfile absent needs regexp in the bench subset');
    return `if [ -f ${p} ] && grep -qE ${re} ${p}; then grep -vE ${re} ${p} > ${p}.floor-tmp; cat ${p}.floor-tmp > ${p}; rm -f ${p}.floor-tmp; echo changed; fi`;
  }
  const line = q(String(a.line));
  const create = a.create ? `[ -f ${p} ] || { : > ${p}; c=1; }; ` : '';
  const replace = re
    ? `elif grep -qE ${re} ${p}; then awk -v re=${re} -v l=${line} '{ if ($0 ~ re) print l; else print }' ${p} > ${p}.floor-tmp; cat ${p}.floor-tmp > ${p}; rm -f ${p}.floor-tmp; c=1; `
    : '';
  return `c=0; ${create}if grep -qxF -- ${line} ${p}; then :; ${replace}else printf '%s\\n' ${line} >> ${p}; c=1; fi; ${fix}[ $c = 0 ] || echo changed`;
}

function commandScript(cmd: string, a: Args): string {
  const creates = a.creates === undefined ? undefined : q(String(a.creates));
  return creates ? `if [ -e ${creates} ]; then :; else ${cmd} && echo changed; fi` : `${cmd} && echo changed`;
}

/** Translate the first play of a bench playbook into floor tasks. */
export function floorTasks(playbookPath: string): FloorTask[] {
  const doc = parse(readFileSync(playbookPath, 'utf8')) as Array<{ vars?: Args; tasks: Args[] }>;
  const play = doc[0]!;
  const base = dirname(playbookPath);
  const vars = play.vars ?? {};
  return play.tasks.map((t) => {
    const name = String(t.name);
    const extra = (t.args ?? {}) as Args;
    if (t.file) return { name, script: () => fileScript(t.file as Args) };
    if (t.lineinfile) return { name, script: () => lineinfileScript(t.lineinfile as Args) };
    if (t.command) return { name, script: () => commandScript(String(t.command), extra) };
    if (t.copy) {
      const a = t.copy as Args;
      const body = a.src !== undefined ? readFileSync(join(base, 'files', String(a.src)), 'utf8') : String(a.content);
      return { name, script: () => contentScript(String(a.dest), body, a.mode) };
    }
    if (t.template) {
      const a = t.template as Args;
      const text = readFileSync(join(base, 'templates', String(a.src)), 'utf8');
      return { name, script: (host: string) => contentScript(String(a.dest), renderSimple(text, { ...vars, inventory_hostname: host }), a.mode) };
    }
    throw new Error(`floor: task ${name} uses a module outside the bench subset`);
  });
}
