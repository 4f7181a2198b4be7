// `play config`: the settings in force and where each came from, like `ansible-config dump --only-changed`.
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { loadSettings } from '../config/files.js';
import { SETTINGS, type Settings } from '../config/settings.js';
import { DEFAULTS } from './options.js';

const BUILT_IN: Record<string, string> = {
  forks: String(DEFAULTS.forks), task_timeout: String(DEFAULTS.taskTimeoutSec), state_wait: String(DEFAULTS.stateWaitSec),
  host_key_checking: 'true', ssh_host_key_check: 'strict', timeout: '10', become: 'false', become_user: 'root',
  state_dir: '.play/ next to the inventory', remote_user: 'ssh_config User, else the local user', transport: 'ssh',
};

export interface ConfigRow {
  key: string;
  section: string;
  ini: string;
  env: string;
  value: string | number | boolean | string[] | null;
  origin: string;
}

export function configRows(settings: Settings, onlyChanged: boolean): ConfigRow[] {
  return SETTINGS.flatMap((d) => {
    const s = settings.get(d.key);
    if (!s && onlyChanged) return [];
    return [{ key: d.key, section: d.section, ini: d.ini, env: d.env, value: s ? s.value : BUILT_IN[d.key] ?? null, origin: s ? s.origin : 'default' }];
  });
}

export function formatRows(rows: ConfigRow[], files: string[]): string {
  const show = (v: ConfigRow['value']) => (v === null ? '(unset)' : Array.isArray(v) ? v.join(', ') : String(v));
  const head = files.length ? `config files: ${files.join(', ')}\n` : 'config files: none found (ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg; PLAY_CONFIG, ./play.cfg, ~/.play.cfg)\n';
  return head + rows.map((r) => `${r.key} = ${show(r.value)}  (${r.origin}; [${r.section}] ${r.ini}, ${r.env})\n`).join('');
}

export function registerConfigCommand(program: Command, done: (code: number) => never): void {
  program
    .command('config')
    .description('show the settings in force (ansible.cfg, ANSIBLE_* variables, play.cfg) and where each came from')
    .option('--only-changed', 'only settings that are not at their default', false)
    .option('--json', 'print JSON', false)
    .action((o: { onlyChanged: boolean; json: boolean }) => {
      const { settings, files } = loadSettings();
      const rows = configRows(settings, o.onlyChanged);
      process.stdout.write(o.json ? JSON.stringify({ files: files.map((f) => f.path), settings: rows }, null, 2) + '\n' : formatRows(rows, files.map((f) => f.path)));
      done(EXIT.ok);
    });
}
