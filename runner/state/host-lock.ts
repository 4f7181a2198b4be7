// The host-side run lock: while a run works on a host it holds flock(2) on a file there, through a
// command kept running on its own channel. The lock goes when that command ends: at the end of the run,
// or when the connection dies (the controller was killed, the network went away). Two controllers,
// whatever their stores, never work on one host at once: the second waits (--state-wait) or fails the host.
import { quote } from '../shell-quote.js';
import type { Connection } from '../connection/types.js';

/** Where the lock lives: the first writable of these directories (tmpfs, gone at reboot, like the lock). */
const LOCK_DIRS = ['/run/lock', '/var/lock', '/tmp'];
export const LOCK_NAME = 'play-run.lock';

/** The held command. `cat` waits on the channel's stdin and keeps fd 9 (the lock) open until the channel closes. */
export function hostLockScript(waitSec: number, holder: string, dirs: readonly string[] = LOCK_DIRS): string {
  const pick = dirs.map((d) => `[ -d ${d} ] && [ -w ${d} ] && d=${d}`).join(' || ');
  const wait = waitSec > 0 ? `flock -w ${Math.ceil(waitSec)} 9 || { echo "PLAYLOCK timeout $f"; exit 0; }` : `echo "PLAYLOCK timeout $f"; exit 0`;
  return [
    `d=; ${pick}; f="\${d:-/tmp}/${LOCK_NAME}"`,
    `if ! command -v flock >/dev/null 2>&1; then echo 'PLAYLOCK none no flock(1) on the host'; exit 0; fi`,
    `(umask 0; : >>"$f") 2>/dev/null`,
    `if ! [ -r "$f" ]; then echo "PLAYLOCK none cannot read $f"; exit 0; fi`,
    'exec 9<"$f"',
    `if ! flock -n 9; then echo "PLAYLOCK busy $f $(head -c 300 "$f" 2>/dev/null | tr -d '\\n')"; ${wait}; fi`,
    `printf '%s\\n' ${quote(holder)} 2>/dev/null >"$f"`,
    'echo "PLAYLOCK held $f"',
    'exec cat >/dev/null',
  ].join('\n');
}

export type HostLock =
  | { kind: 'held'; file: string; release(): void }
  /** The host cannot lock (no flock, no readable lock file, a local connection): the run goes on unlocked. */
  | { kind: 'unavailable'; why: string }
  | { kind: 'busy'; msg: string };

export interface LockOptions {
  waitSec: number;
  /** Written into the lock file for a waiting run to show: pid, controller, store. */
  holder: string;
  /** Told once when another run holds the lock and this one starts to wait. */
  onWait?: (msg: string) => void;
}

/** Parses one line of the held command. */
export function lockLine(line: string): { word: 'held' | 'busy' | 'timeout' | 'none'; file: string; rest: string } | null {
  const m = /^PLAYLOCK (held|busy|timeout|none) ?(\S*) ?(.*)$/.exec(line);
  if (!m) return null;
  return { word: m[1] as 'held', file: m[2]!, rest: m[3]! };
}

export async function takeHostLock(conn: Connection, o: LockOptions): Promise<HostLock> {
  if (!conn.hold) return { kind: 'unavailable', why: 'a local connection holds no host lock' };
  const held = await conn.hold(hostLockScript(o.waitSec, o.holder));
  let holder = '';
  for (;;) {
    const line = await held.line();
    if (line === null) {
      held.close();
      return { kind: 'unavailable', why: 'the lock command ended before it held the lock' };
    }
    const l = lockLine(line);
    if (!l) continue;
    switch (l.word) {
      case 'held':
        return { kind: 'held', file: l.file, release: () => held.close() };
      case 'none':
        held.close();
        return { kind: 'unavailable', why: `${l.file} ${l.rest}`.trim() };
      case 'busy':
        holder = l.rest || 'another play run';
        if (o.waitSec > 0) o.onWait?.(`another play run holds the host lock ${l.file} (${holder}); waiting up to ${o.waitSec} s`);
        continue;
      case 'timeout':
        held.close();
        return {
          kind: 'busy',
          msg: `another play run holds the host lock ${l.file} (${holder || 'holder unknown'}); this host was not touched. ` +
            `Wait for that run to finish, or pass --state-wait SECONDS`,
        };
    }
  }
}
