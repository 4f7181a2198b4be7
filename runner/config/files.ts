// Where the config files are, as Ansible looks: ANSIBLE_CONFIG (a file, or a directory holding
// ansible.cfg), else ./ansible.cfg (skipped in a world-writable directory, as Ansible does), else
// ~/.ansible.cfg, else /etc/ansible/ansible.cfg: the first found is the only one read. play.cfg is
// found the same way (PLAY_CONFIG, ./play.cfg, ~/.play.cfg) and read after it.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../errors.js';
import { resolveSettings, type ConfigFile, type Settings } from './settings.js';

function readable(p: string): string | undefined {
  try {
    return statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function worldWritable(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o002) !== 0;
  } catch {
    return false;
  }
}

function first(candidates: Array<string | undefined>, play: boolean): ConfigFile | undefined {
  for (const c of candidates) {
    if (!c) continue;
    const file = statSafeDir(c) ? path.join(c, play ? 'play.cfg' : 'ansible.cfg') : c;
    const text = readable(file);
    if (text !== undefined) return { path: file, text, play };
  }
  return undefined;
}

function statSafeDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function findConfigFiles(env: NodeJS.ProcessEnv, cwd: string, home = homedir()): ConfigFile[] {
  const here = worldWritable(cwd) ? undefined : cwd;
  const ansible = first([
    env.ANSIBLE_CONFIG ? path.resolve(cwd, env.ANSIBLE_CONFIG) : undefined,
    here && path.join(here, 'ansible.cfg'),
    path.join(home, '.ansible.cfg'),
    '/etc/ansible/ansible.cfg',
  ], false);
  const play = first([
    env.PLAY_CONFIG ? path.resolve(cwd, env.PLAY_CONFIG) : undefined,
    here && path.join(here, 'play.cfg'),
    path.join(home, '.play.cfg'),
  ], true);
  return [ansible, play].filter((f): f is ConfigFile => f !== undefined);
}

/** The settings in force from the files and the environment; a bad value is a usage error naming where it is. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { settings: Settings; files: ConfigFile[] } {
  const files = findConfigFiles(env, cwd);
  const r = resolveSettings(files, env, cwd);
  if (!r.ok) throw new UsageError(`bad configuration:\n  ${r.problems.join('\n  ')}`);
  return { settings: r.settings, files };
}
