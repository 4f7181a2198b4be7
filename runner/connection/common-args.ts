// ansible_ssh_common_args / ansible_ssh_extra_args / --ssh-common-args: the ssh(1) options play maps onto
// its own connection settings. Anything else is an error that names it: play never drops an option silently.
import { shlexSplit } from '../shell-quote.js';

export interface CommonArgs {
  port?: number;
  identityFiles: string[];
  identitiesOnly?: boolean;
  proxyJump?: string;
  serverAliveIntervalSec?: number;
  connectTimeoutSec?: number;
  strictHostKeyChecking?: 'strict' | 'accept-new' | 'off';
  userKnownHostsFiles?: string[];
}

export type CommonArgsResult = { ok: true; args: CommonArgs } | { ok: false; message: string };

const SUPPORTED = 'ProxyJump, ProxyCommand="ssh -W %h:%p host", StrictHostKeyChecking, UserKnownHostsFile, ServerAliveInterval, ConnectTimeout, ' +
  'IdentitiesOnly, IdentityFile, Port; -J, -p, -i';

/** Parses the option string as the shell would split it (Ansible uses shlex too). */
export function parseCommonArgs(text: string): CommonArgsResult {
  let words: string[];
  try {
    words = shlexSplit(text).map((t) => t.value);
  } catch (e) {
    return { ok: false, message: `cannot split '${text}': ${(e as Error).message}` };
  }
  const args: CommonArgs = { identityFiles: [] };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const m = /^-([oJpi])(.*)$/.exec(w);
    if (!m) return { ok: false, message: `'${w}' is not supported (play understands ${SUPPORTED})` };
    const flag = m[1]!;
    let value = m[2]!;
    if (!value) {
      const next = words[++i];
      if (next === undefined) return { ok: false, message: `'-${flag}' needs a value` };
      value = next;
    }
    const err = flag === 'o' ? option(args, value) : flagOption(args, flag, value);
    if (err) return { ok: false, message: err };
  }
  return { ok: true, args };
}

function flagOption(args: CommonArgs, flag: string, value: string): string | undefined {
  switch (flag) {
    case 'J': return option(args, `ProxyJump=${value}`);
    case 'p': return option(args, `Port=${value}`);
    case 'i': return option(args, `IdentityFile=${value}`);
    default: return `'-${flag}' is not supported`;
  }
}

/** One `-o Key=Value` (or `Key Value`); like ssh, the first value given for a key wins. */
function option(args: CommonArgs, kv: string): string | undefined {
  const m = /^\s*([A-Za-z]+)\s*(?:=|\s)\s*(.*?)\s*$/.exec(kv);
  if (!m || m[2] === '') return `'-o ${kv}' is not Key=Value`;
  const key = m[1]!.toLowerCase();
  const value = m[2]!;
  const int = (): number | string => {
    const n = Number(value);
    return Number.isInteger(n) && n >= 0 ? n : `'-o ${kv}' expects a whole number`;
  };
  switch (key) {
    case 'proxyjump': args.proxyJump ??= value; return undefined;
    case 'stricthostkeychecking': {
      if (!/^(yes|no|ask|accept-new|off)$/i.test(value)) return `'-o ${kv}': StrictHostKeyChecking is yes, no, ask, accept-new or off`;
      args.strictHostKeyChecking ??= hostKeyPolicy(value);
      return undefined;
    }
    case 'userknownhostsfile': args.userKnownHostsFiles ??= value.split(/\s+/).filter(Boolean); return undefined;
    case 'identityfile': args.identityFiles.push(value); return undefined;
    case 'identitiesonly': {
      if (!/^(yes|no)$/i.test(value)) return `'-o ${kv}': IdentitiesOnly is yes or no`;
      args.identitiesOnly ??= /^yes$/i.test(value);
      return undefined;
    }
    case 'serveraliveinterval':
    case 'connecttimeout':
    case 'port': {
      const n = int();
      if (typeof n === 'string') return n;
      if (key === 'port') {
        if (n < 1 || n > 65535) return `'-o ${kv}': a port is 1 to 65535`;
        args.port ??= n;
      } else if (key === 'connecttimeout') args.connectTimeoutSec ??= n;
      else args.serverAliveIntervalSec ??= n;
      return undefined;
    }
    case 'proxycommand': {
      const jump = proxyCommandAsJump(value);
      if (!jump) return `'-o ${kv}' is not supported: play runs only \`ssh -W %h:%p [-l user] [-p port] [user@]host\` (as ProxyJump); use ProxyJump`;
      args.proxyJump ??= jump;
      return undefined;
    }
    default:
      return `'-o ${kv}' is not supported (play understands ${SUPPORTED})`;
  }
}

/**
 * The one ProxyCommand that is a jump host: `ssh [-q] [-T] [-x] [-a] [-N] [-l user] [-p port] -W %h:%p
 * [user@]host`, as `[user@]host[:port]` for ProxyJump. Anything else: undefined.
 */
export function proxyCommandAsJump(cmd: string): string | undefined {
  let words: string[];
  try {
    words = shlexSplit(cmd).map((t) => t.value);
  } catch {
    return undefined;
  }
  if (!/(^|\/)ssh$/.test(words[0] ?? '')) return undefined;
  let user: string | undefined;
  let port: string | undefined;
  let forward = false;
  let host: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (/^-[qTxaN]+$/.test(w)) continue;
    if (w === '-W' && /^(%h|\[%h\]):%p$/.test(words[i + 1] ?? '')) { forward = true; i++; continue; }
    if (w === '-l' && words[i + 1]) { user = words[++i]; continue; }
    if (w === '-p' && /^\d+$/.test(words[i + 1] ?? '')) { port = words[++i]; continue; }
    if (w.startsWith('-') || host !== undefined) return undefined;
    host = w;
  }
  if (!forward || !host) return undefined;
  const m = /^(?:([^@]+)@)?(.+)$/.exec(host)!;
  const u = m[1] ?? user;
  return `${u ? `${u}@` : ''}${m[2]}${port ? `:${port}` : ''}`;
}

/** StrictHostKeyChecking values: yes/ask -> strict (play never asks), accept-new, no/off -> off. */
export function hostKeyPolicy(v: string): 'strict' | 'accept-new' | 'off' {
  const s = v.toLowerCase();
  if (s === 'accept-new') return 'accept-new';
  if (s === 'no' || s === 'off' || s === 'false') return 'off';
  return 'strict';
}
