// script: send a script from the role's files/ (or next to the playbook) and run it on the host, with
// its arguments through the host's shell as Ansible's script action does; creates/removes/chdir as
// command's. The script travels on stdin into a private temp file, removed after it ran.
// Differs from Ansible: a run that creates=/removes= spare is ok with a reason (as play's command),
// where Ansible's script action reports it skipped.
// Probe: 0 execs, or 1 when creates/removes/chdir is given.
import { defineModule } from './types.js';
import { commandVerifiable, decideCommand, normalizeCommand, overlayCommand, predictCommand, probeCommand, type CommandArgs, type CommandProbe } from './command-core.js';
import { quote, shlexSplit } from '../shell-quote.js';

export interface ScriptArgs extends CommandArgs {
  cmd: string;
  /** Ansible decrypts a vaulted script by default; play's files/ are read as they are. */
  decrypt?: boolean;
  /** Filled by prepare(): the script's bytes. Not part of the schema. */
  _bytes?: Buffer;
}

/** The script's path (the first word) and its arguments as written (the rest, for the shell). */
export function splitScript(cmd: string): { path: string; rest: string } | undefined {
  let words;
  try {
    words = shlexSplit(cmd);
  } catch {
    return undefined;
  }
  const first = words[0];
  if (!first) return undefined;
  return { path: first.value, rest: cmd.slice(first.end).trim() };
}

/** The host command: the script into a 0700 temp file, run (by `executable` if given), removed, its rc kept. */
export function scriptCommand(a: ScriptArgs, rest: string): string {
  const run = `${a.executable !== undefined ? `${quote(a.executable)} ` : ''}"$t"${rest ? ` ${rest}` : ''}`;
  const cd = a.chdir !== undefined ? `cd ${quote(a.chdir)} && ` : '';
  return `t=$(mktemp) || exit 1; cat > "$t" && chmod 0700 "$t" && (${cd}${run}); rc=$?; rm -f "$t"; exit $rc`;
}

export const scriptModule = defineModule<ScriptArgs, CommandProbe>({
  name: 'script',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['cmd'],
    properties: {
      cmd: { type: 'string', minLength: 1 }, creates: { type: 'string' }, removes: { type: 'string' },
      chdir: { type: 'string' }, executable: { type: 'string', minLength: 1 }, decrypt: { type: 'boolean' },
    },
  },
  normalize: normalizeCommand,
  verifiable: commandVerifiable,
  async prepare(args, env) {
    const s = splitScript(args.cmd);
    if (!s) return args;
    return { ...args, _bytes: await env.readControllerFile('files', s.path) };
  },
  probe: probeCommand,
  overlay: overlayCommand,
  predict: predictCommand,
  decide(args, probe) {
    const s = splitScript(args.cmd);
    if (!s) return { kind: 'fail', msg: `script: cannot split '${args.cmd}' into a path and arguments` };
    if (args._bytes === undefined) return { kind: 'fail', msg: `script ${s.path} was not read (prepare() did not run)` };
    // creates/removes/chdir decide as for command; what runs is the script
    const d = decideCommand({ ...args, cmd: 'true', chdir: undefined }, { ...probe }, true);
    if (probe.chdirMissing) return { kind: 'fail', msg: `Unable to change directory before execution: ${args.chdir} does not exist` };
    if (d.kind !== 'change') return d;
    const shown = `${s.path}${s.rest ? ` ${s.rest}` : ''}`;
    return { kind: 'change', summary: `run script: ${shown}`, steps: [{ kind: 'exec', describe: `script ${shown}`, cmd: scriptCommand(args, s.rest), stdin: args._bytes }], result: { cmd: shown } };
  },
});
