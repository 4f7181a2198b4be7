// The contenders as commands: play, ansible-playbook at its fastest settings, the same with Mitogen
// (strategy mitogen_linear, Debian's ansible-mitogen), and the three floors (bench/floor.ts --mode).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export type Tool = 'play' | 'ansible' | 'mitogen' | 'floor' | 'floor-one-exec' | 'floor-pipelined';
export const TOOLS: readonly Tool[] = ['play', 'ansible', 'mitogen', 'floor', 'floor-one-exec', 'floor-pipelined'];
/** The tool every ratio is taken against: all tasks in one script per host, one exec. */
export const TRUE_FLOOR: Tool = 'floor-one-exec';
/** Debian's ansible-mitogen puts its strategy plugins here. */
export const MITOGEN_STRATEGIES = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';

export function isFloor(tool: Tool): boolean {
  return tool === 'floor' || tool === 'floor-one-exec' || tool === 'floor-pipelined';
}
export function isAnsible(tool: Tool): boolean {
  return tool === 'ansible' || tool === 'mitogen';
}
export type Mode = 'cold' | 'warm' | 'state';

export interface Invocation {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface ToolContext {
  root: string;
  playbook: string;
  inventory: string;
  knownHosts: string;
  hosts: number;
  /** Scratch directory of this run (ansible.cfg, control sockets, play state). */
  dir: string;
  /** play --state-dir for cold (records) and state (reruns) modes. */
  stateDir: string;
}

/** ansible.cfg at its fastest: pipelining, persistent control master, forks = hosts, no facts. */
export function ansibleCfg(ctx: ToolContext, mitogen = false): string {
  const strategy = mitogen ? `mitogen_linear\nstrategy_plugins = ${MITOGEN_STRATEGIES}` : 'linear';
  return `[defaults]
forks = ${Math.max(1, ctx.hosts)}
gathering = explicit
host_key_checking = True
strategy = ${strategy}
interpreter_python = /usr/bin/python3
retry_files_enabled = False
deprecation_warnings = False
# connect timeout (default 10 s): 50 hosts connecting at once on a busy 2-core machine can take longer,
# and one host dropped as unreachable voids the whole sample; it only ever waits, never speeds up
timeout = 60

[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${ctx.knownHosts} -o StrictHostKeyChecking=yes
control_path_dir = ${join(ctx.dir, 'cp')}
`;
}

export async function invocation(tool: Tool, mode: Mode, ctx: ToolContext): Promise<Invocation> {
  const node = process.execPath;
  if (tool === 'play') {
    const state = mode === 'warm' ? ['--no-state'] : ['--state-dir', ctx.stateDir];
    return {
      // bin/play, as users run it: it starts from the build's start-up snapshot
      cmd: join(ctx.root, 'bin', 'play'), env: { ...process.env },
      args: [ctx.playbook, '-i', ctx.inventory, '--known-hosts', ctx.knownHosts,
        '--json', '--forks', String(Math.max(1, ctx.hosts)), ...state],
    };
  }
  if (isAnsible(tool)) {
    const cfg = join(ctx.dir, 'ansible.cfg');
    await fs.mkdir(join(ctx.dir, 'cp'), { recursive: true });
    await fs.writeFile(cfg, ansibleCfg(ctx, tool === 'mitogen'));
    return { cmd: 'ansible-playbook', args: ['-i', ctx.inventory, ctx.playbook], env: { ...process.env, ANSIBLE_CONFIG: cfg, ANSIBLE_NOCOLOR: '1' } };
  }
  // the floor speaks no TLS: it does not pay Node's start-up read of NODE_EXTRA_CA_CERTS either
  // (play defers it, see bin/play), so its start is as cheap as a Node start can be here
  const { NODE_EXTRA_CA_CERTS: _unused, ...floorEnv } = process.env;
  return {
    cmd: node, env: floorEnv,
    args: [join(ctx.root, 'dist', 'bench', 'floor.js'), ctx.playbook, '-i', ctx.inventory, '--known-hosts', ctx.knownHosts,
      '--mode', tool === 'floor' ? 'task' : tool === 'floor-one-exec' ? 'one-exec' : 'pipelined'],
  };
}

/** Changed count reported by the tool, to check cold runs changed things and warm ones did not. */
export function changedCount(tool: Tool, stdout: string): number | undefined {
  if (tool === 'play') {
    const recap = stdout.split('\n').filter((l) => l.includes('"kind":"recap"')).pop();
    if (!recap) return undefined;
    const hosts = (JSON.parse(recap) as { hosts: Record<string, { changed: number }> }).hosts;
    return Object.values(hosts).reduce((n, h) => n + h.changed, 0);
  }
  if (isAnsible(tool)) {
    const m = [...stdout.matchAll(/\bchanged=(\d+)/g)];
    return m.length ? m.reduce((n, x) => n + Number(x[1]), 0) : undefined;
  }
  const last = stdout.trim().split('\n').pop();
  return last?.startsWith('{') ? (JSON.parse(last) as { changed: number }).changed : undefined;
}

/** The floor's own split: time spent connecting vs running the tasks. */
export function floorSplit(stdout: string): { connectMs: number; execMs: number } | undefined {
  const last = stdout.trim().split('\n').pop();
  return last?.startsWith('{') ? (JSON.parse(last) as { connectMs: number; execMs: number }) : undefined;
}
