// The shell side of put() for small files: temp file next to path, mode, atomic rename; the temp
// file never outlives a failure.
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { quote } from '../shell-quote.js';

function chmodLine(p: string, mode?: number): string {
  return mode === undefined
    ? `if [ -e ${p} ]; then chmod "$(stat -c %a ${p})" "$t"; else chmod 644 "$t"; fi`
    : `chmod ${(mode & 0o7777).toString(8)} "$t"`;
}

/** chown before chmod (chown clears setuid/setgid bits), then the rename; all on the temp file "$t". */
function finish(p: string, mode: number | undefined, owner: string | undefined, setMode: boolean): string {
  return [
    ...(owner === undefined ? [] : [`chown -- ${quote(owner)} "$t"`]),
    ...(setMode ? [chmodLine(p, mode)] : []),
    `mv -f -- "$t" ${p}`,
  ].join(' && ');
}

/** Reads the content from stdin. */
export function putScript(path: string, mode?: number, owner?: string): string {
  const p = quote(path);
  return `t=$(mktemp ${quote(`${path}.play-tmp-`)}XXXXXX) || exit 1; trap 'rm -f "$t"' EXIT; cat > "$t" && ${finish(p, mode, owner, true)} && trap - EXIT`;
}

const tmpPrefix = randomBytes(4).toString('hex');
let tmpSeq = 0;

/** Unique per put: a per-process random prefix and a counter (random bytes per file cost a syscall each). */
function tmpSuffix(): string {
  return `${tmpPrefix}${(++tmpSeq).toString(36)}`;
}

/** Whether the content can travel inside the command itself (a shell word holds no NUL, only text). */
export function inlinable(content: Buffer): boolean {
  return !content.includes(0) && isUtf8(content);
}

/**
 * Carries the content in the command: printf is a builtin, so a shell that runs this in-process (the
 * persistent shell's subshell) spawns only mv, plus chown when an owner is given and chmod when the
 * mode has execute or special bits (otherwise the umask gives the new file its mode). The temp name
 * is random and created exclusively (set -C). Never send this where it would become a process's
 * argv: the content may be a secret.
 */
export function inlinePutScript(path: string, content: Buffer, mode?: number, owner?: string): string {
  const p = quote(path);
  const t = quote(`${path}.play-tmp-${tmpSuffix()}`);
  const viaUmask = mode !== undefined && (mode & 0o7777 & ~0o666) === 0;
  const create = `${viaUmask ? `umask ${(0o777 & ~mode!).toString(8).padStart(3, '0')}; ` : ''}set -C; t=${t}; trap 'rm -f -- "$t"' EXIT`;
  return `${create}; printf %s ${quote(content.toString('utf8'))} > "$t" && ${finish(p, mode, owner, !viaUmask)} && trap - EXIT`;
}
