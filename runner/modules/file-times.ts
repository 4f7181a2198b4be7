// file's modification_time and access_time, as Ansible's file module takes them: "preserve"
// leaves a time alone, "now" sets it to the current time (always a change), a timestamp in the
// format (default %Y%m%d%H%M.%S, which is touch -t's) sets it. state=touch defaults both to "now",
// other states to "preserve". A timestamp is compared on the host, in its time zone: the step
// reports unchanged when the time already was the one asked for.
import type { Step } from './types.js';
import { quote } from '../shell-quote.js';

export interface TimeArgs {
  modification_time?: string;
  modification_time_format?: string;
  access_time?: string;
  access_time_format?: string;
}

export const timeSchemaProps = {
  modification_time: { type: 'string', minLength: 1 },
  modification_time_format: { type: 'string', minLength: 1 },
  access_time: { type: 'string', minLength: 1 },
  access_time_format: { type: 'string', minLength: 1 },
} as const;

const DEFAULT_FORMAT = '%Y%m%d%H%M.%S';

type Want = { kind: 'preserve' } | { kind: 'now' } | { kind: 'stamp'; stamp: string };

function want(value: string | undefined, format: string | undefined, touch: boolean, what: string): Want | string {
  const v = value ?? (touch ? 'now' : 'preserve');
  if (v === 'preserve' || v === 'now') return { kind: v };
  if ((format ?? DEFAULT_FORMAT) !== DEFAULT_FORMAT) return `${what}_format ${format}: play takes timestamps in ${DEFAULT_FORMAT} only`;
  if (!/^\d{12}\.\d{2}$/.test(v)) return `Error while obtaining timestamp for time ${v} using format ${DEFAULT_FORMAT}`;
  return { kind: 'stamp', stamp: v };
}

/** Whether the times leave the file alone (touch with both preserved changes only what it creates). */
export function timesPreserved(a: TimeArgs, touch: boolean): boolean {
  return (a.modification_time ?? (touch ? 'now' : 'preserve')) === 'preserve' && (a.access_time ?? (touch ? 'now' : 'preserve')) === 'preserve';
}

/** The steps that set the times asked for, on a path that exists when they run; or why not. */
export function timeSteps(path: string, a: TimeArgs, touch: boolean): { steps: Step[]; changes: string[] } | { fail: string } {
  const m = want(a.modification_time, a.modification_time_format, touch, 'modification_time');
  const at = want(a.access_time, a.access_time_format, touch, 'access_time');
  if (typeof m === 'string') return { fail: m };
  if (typeof at === 'string') return { fail: at };
  const p = quote(path);
  const steps: Step[] = [];
  const changes: string[] = [];
  const one = (w: Want, flag: '-m' | '-a', fmt: '%Y' | '%X', name: string) => {
    if (w.kind === 'preserve') return;
    if (w.kind === 'now') {
      steps.push({ kind: 'exec', describe: `set ${name} of ${path} to now`, cmd: `touch ${flag} -- ${p}` });
      changes.push(`${name} now`);
      return;
    }
    steps.push({
      kind: 'exec',
      describe: `set ${name} of ${path} to ${w.stamp}`,
      cmd: `b=$(stat -c ${fmt} -- ${p}) || exit 1; touch ${flag} -t ${quote(w.stamp)} -- ${p} || exit 1; if [ "$(stat -c ${fmt} -- ${p})" = "$b" ]; then echo same; fi`,
      interpret: (out) => (out.code !== 0 ? { fail: out.stderr.trim() || `could not set ${name}` } : out.stdout.includes('same') ? { unchanged: `${name} of ${path} already is ${w.stamp}` } : {}),
    });
    changes.push(`${name} ${w.stamp}`);
  };
  one(m, '-m', '%Y', 'modification time');
  one(at, '-a', '%X', 'access time');
  return { steps, changes };
}
