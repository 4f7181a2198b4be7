// file's modification_time and access_time, as Ansible's file module sets them: 'preserve' (the
// default, except for state=touch, where it is 'now'), 'now' (always a change), or a time in
// *_time_format (strptime, the host's local time: the probe asks the host's `date` for the epoch).
import type { Step } from './types.js';
import { quote } from '../shell-quote.js';
import { parseKv } from './fileinfo.js';

export interface TimeArgs {
  path: string;
  state?: string;
  modification_time?: string;
  modification_time_format?: string;
  access_time?: string;
  access_time_format?: string;
}

const DEFAULT_FORMAT = '%Y%m%d%H%M.%S';
const FIELDS: Record<string, { re: string; key: 'Y' | 'm' | 'd' | 'H' | 'M' | 'S' | 'y' }> = {
  '%Y': { re: '(\\d{4})', key: 'Y' }, '%y': { re: '(\\d{2})', key: 'y' }, '%m': { re: '(\\d{1,2})', key: 'm' }, '%d': { re: '(\\d{1,2})', key: 'd' },
  '%H': { re: '(\\d{1,2})', key: 'H' }, '%M': { re: '(\\d{1,2})', key: 'M' }, '%S': { re: '(\\d{1,2})', key: 'S' },
};

/** strptime for the numeric directives: "YYYY-MM-DD HH:MM:SS" for the host's `date -d`, or an error. */
export function strptimeLocal(value: string, format: string): string | { error: string } {
  const keys: string[] = [];
  let re = '';
  for (let i = 0; i < format.length; i++) {
    const d = format.slice(i, i + 2);
    if (d[0] === '%' && FIELDS[d]) { re += FIELDS[d]!.re; keys.push(FIELDS[d]!.key); i++; }
    else if (d === '%%') { re += '%'; i++; }
    else if (d[0] === '%') return { error: `directive ${d} is not supported by play (only %Y %y %m %d %H %M %S)` };
    else re += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${re}$`).exec(value);
  if (!m) return { error: `time data '${value}' does not match format '${format}'` };
  const v: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  keys.forEach((k, i) => { const n = Number(m[i + 1]); if (k === 'y') v.Y = n < 69 ? 2000 + n : 1900 + n; else v[k] = n; });
  const p = (n: number) => String(n).padStart(2, '0');
  return `${v.Y}-${p(v.m!)}-${p(v.d!)} ${p(v.H!)}:${p(v.M!)}:${p(v.S!)}`;
}

const spec = (a: TimeArgs, which: 'modification' | 'access'): string => a[`${which}_time`] ?? (a.state === 'touch' ? 'now' : 'preserve');

/** Probe lines: the path's mtime and atime (fractional), and the epoch of each explicit time. */
export function timeProbeLines(a: TimeArgs): string {
  const lines: string[] = [];
  for (const w of ['modification', 'access'] as const) {
    const s = spec(a, w);
    if (s === 'now' || s === 'preserve') continue;
    const t = strptimeLocal(s, a[`${w}_time_format`] ?? DEFAULT_FORMAT);
    if (typeof t === 'string') lines.push(`printf 'want_${w}=%s\\n' "$(date -d ${quote(t)} +%s 2>/dev/null)"`);
  }
  if (lines.length) lines.push('if [ -e "$p" ]; then stat -L -c \'cur_modification=%.9Y\ncur_access=%.9X\' -- "$p"; fi');
  return lines.join('\n');
}

export type TimePlan = { ok: true; steps: Step[]; changes: string[] } | { ok: false; msg: string };

/** The touch steps the times need, judged against the probe's output (exists: whether the path is there before this task). */
export function planTimes(a: TimeArgs, probeOut: string, exists: boolean): TimePlan {
  const kv = parseKv(probeOut);
  const steps: Step[] = [];
  const changes: string[] = [];
  const specs = { modification: spec(a, 'modification'), access: spec(a, 'access') };
  if (specs.modification === 'now' && specs.access === 'now') {
    return { ok: true, steps: exists ? [{ kind: 'exec', describe: `touch ${a.path}`, cmd: `touch -- ${quote(a.path)}` }] : [], changes: exists ? ['touch (update times)'] : [] };
  }
  for (const w of ['modification', 'access'] as const) {
    const s = specs[w];
    if (s === 'preserve') continue;
    const flag = w === 'modification' ? '-m' : '-a';
    if (s === 'now') { steps.push({ kind: 'exec', describe: `${w} time of ${a.path}: now`, cmd: `touch ${flag} -- ${quote(a.path)}` }); changes.push(`${w} time now`); continue; }
    const fmt = a[`${w}_time_format`] ?? DEFAULT_FORMAT;
    const t = strptimeLocal(s, fmt);
    const want = kv.get(`want_${w}`);
    if (typeof t !== 'string' || !want) return { ok: false, msg: `Error while obtaining timestamp for time ${s} using format ${fmt}: ${typeof t === 'string' ? 'the host could not read it' : t.error}` };
    if (exists && Number(kv.get(`cur_${w}`)) === Number(want)) continue;
    steps.push({ kind: 'exec', describe: `${w} time of ${a.path}: ${t}`, cmd: `touch ${flag} -d @${want} -- ${quote(a.path)}` });
    changes.push(`${w} time ${t}`);
  }
  return { ok: true, steps, changes };
}
