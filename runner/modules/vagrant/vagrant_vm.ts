// vagrant_vm: a Vagrant machine is running (vagrant up) or absent (vagrant destroy -f).
// Vagrant is a controller-side tool: probe and steps run `vagrant` on the controller in
// project_dir (the role targets localhost with connection: local). The result carries the
// parsed `vagrant ssh-config` as ssh_config {Host, HostName, Port, User, IdentityFile}.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { defineModule, type Decision, type Step } from '../types.js';
import { machineState, parseSshConfig, type SshConfig } from './parse.js';
import { runLocal, tail, type LocalRunner } from './run-local.js';

export interface VagrantVmArgs {
  project_dir: string;
  machine: string;
  state?: 'running' | 'absent';
  provider?: string;
  /** Seconds `vagrant up` may take (TCG boots are slow). Default 1800. */
  timeout?: number;
}

export type VagrantVmProbe =
  | { kind: 'no-vagrantfile'; path: string }
  | { kind: 'error'; msg: string }
  | { kind: 'status'; state: string; provider?: string; sshConfig?: SshConfig; sshConfigError?: string };

const NO_COLOR = ['--no-color'];
const QUICK_MS = 120_000;

/** The steps' and probe's commands, as argv (shown in summaries, run without a shell). */
export const vagrantArgv = {
  status: (m: string) => ['vagrant', 'status', m, '--machine-readable'],
  sshConfig: (m: string) => ['vagrant', 'ssh-config', m, ...NO_COLOR],
  up: (m: string, provider?: string) => ['vagrant', 'up', m, ...(provider ? [`--provider=${provider}`] : []), ...NO_COLOR],
  destroy: (m: string) => ['vagrant', 'destroy', '-f', m, ...NO_COLOR],
};

/** Builds the module around a process runner (tests pass a fake one). */
export function makeVagrantVmModule(run: LocalRunner = runLocal) {
  const readSshConfig = async (dir: string, machine: string): Promise<SshConfig | { error: string }> => {
    const r = await run(vagrantArgv.sshConfig(machine), { cwd: dir, timeoutMs: QUICK_MS });
    if (r.code !== 0) return { error: `vagrant ssh-config ${machine} exited ${r.code}: ${tail(r.stderr || r.stdout, 3)}` };
    return parseSshConfig(r.stdout, machine);
  };
  const runStep = (describe: string, argv: string[], dir: string, timeoutMs: number): Step => ({
    kind: 'call',
    describe,
    run: async () => {
      const r = await run(argv, { cwd: dir, timeoutMs });
      if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code} in ${dir}:\n${tail(r.stderr || r.stdout)}`);
      return { stdout: r.stdout.replace(/\n$/, '') };
    },
  });

  return defineModule<VagrantVmArgs, VagrantVmProbe>({
    name: 'vagrant_vm',
    controllerOnly: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['project_dir', 'machine'],
      properties: {
        project_dir: { type: 'string', minLength: 1 },
        machine: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
        state: { enum: ['running', 'absent'] },
        provider: { type: 'string', minLength: 1 },
        timeout: { type: 'integer', minimum: 1 },
      },
    },
    async probe(args) {
      const dir = args.project_dir;
      const vf = join(dir, 'Vagrantfile');
      try {
        await access(vf);
      } catch {
        return { kind: 'no-vagrantfile', path: vf };
      }
      const r = await run(vagrantArgv.status(args.machine), { cwd: dir, timeoutMs: QUICK_MS });
      const st = machineState(r.stdout, args.machine);
      if (r.code !== 0 || !st) {
        return { kind: 'error', msg: `vagrant status ${args.machine} in ${dir} exited ${r.code}: ${tail(r.stderr || r.stdout, 4)}` };
      }
      if (st.state !== 'running') return { kind: 'status', state: st.state, provider: st.provider };
      const ssh = await readSshConfig(dir, args.machine);
      return 'error' in ssh
        ? { kind: 'status', state: st.state, provider: st.provider, sshConfigError: ssh.error }
        : { kind: 'status', state: st.state, provider: st.provider, sshConfig: ssh };
    },
    decide(args, probe) {
      return decideVagrantVm(args, probe, {
        up: runStep(`vagrant up ${args.machine}`, vagrantArgv.up(args.machine, args.provider), args.project_dir, (args.timeout ?? 1800) * 1000),
        destroy: runStep(`vagrant destroy -f ${args.machine}`, vagrantArgv.destroy(args.machine), args.project_dir, QUICK_MS * 5),
        readSshConfig: {
          kind: 'call',
          describe: `read vagrant ssh-config ${args.machine}`,
          run: async () => {
            const ssh = await readSshConfig(args.project_dir, args.machine);
            if ('error' in ssh) throw new Error(ssh.error);
            return { state: 'running', ssh_config: ssh };
          },
        },
      });
    },
  });
}

/** Pure decision; the steps are built by the caller so this stays testable. */
export function decideVagrantVm(
  args: VagrantVmArgs,
  probe: VagrantVmProbe,
  steps: { up: Step; destroy: Step; readSshConfig: Step },
): Decision {
  const m = args.machine;
  const want = args.state ?? 'running';
  if (probe.kind === 'error') return { kind: 'fail', msg: probe.msg };
  if (want === 'absent') {
    if (probe.kind === 'no-vagrantfile') return { kind: 'noop', reason: `machine ${m} does not exist (no ${probe.path})`, result: { state: 'not_created' } };
    if (probe.state === 'not_created') return { kind: 'noop', reason: `machine ${m} does not exist`, result: { state: 'not_created' } };
    return { kind: 'change', summary: `destroy machine ${m} (was ${probe.state})`, steps: [steps.destroy], result: { state: 'not_created' } };
  }
  if (probe.kind === 'status' && probe.state === 'running') {
    if (probe.sshConfig) {
      return { kind: 'noop', reason: `machine ${m} is already running`, result: { state: 'running', provider: probe.provider, ssh_config: probe.sshConfig } };
    }
    return { kind: 'fail', msg: `machine ${m} is running but its SSH settings are unknown: ${probe.sshConfigError ?? 'no ssh-config'}` };
  }
  const was = probe.kind === 'no-vagrantfile' ? `no Vagrantfile yet at ${probe.path}` : `was ${probe.state}`;
  const provider = args.provider ? ` with provider ${args.provider}` : '';
  return { kind: 'change', summary: `vagrant up ${m}${provider} (${was})`, steps: [steps.up, steps.readSshConfig] };
}

export const vagrantVmModule = makeVagrantVmModule();
