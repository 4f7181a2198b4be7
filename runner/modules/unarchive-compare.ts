// unarchive's pure half: the archive format from its first bytes (Ansible tries handlers in order;
// the magic says which one can), and whether a tar is already unpacked, read from `tar --diff` with
// the rules of Ansible's TgzArchive.is_unarchived.

export type Handler = 'ZipArchive' | 'TgzArchive' | 'TarArchive' | 'TarBzipArchive' | 'TarXzArchive' | 'TarZstdArchive';

/** The handler for an archive whose first (up to 512) bytes are given as hex. */
export function detectHandler(hex: string): Handler | undefined {
  const b = Buffer.from(hex, 'hex');
  const starts = (...xs: number[]) => xs.every((x, i) => b[i] === x);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'ZipArchive';
  if (starts(0x1f, 0x8b)) return 'TgzArchive';
  if (starts(0x42, 0x5a, 0x68)) return 'TarBzipArchive';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'TarXzArchive';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'TarZstdArchive';
  if (b.length >= 262 && b.subarray(257, 262).toString('latin1') === 'ustar') return 'TarArchive';
  return undefined;
}

/** GNU tar's flag for each tar handler. */
export const ZIPFLAG: Record<Exclude<Handler, 'ZipArchive'>, string> = {
  TgzArchive: '-z', TarArchive: '', TarBzipArchive: '-j', TarXzArchive: '-J', TarZstdArchive: '--zstd',
};

/**
 * Ansible's reading of `tar --diff`: only these differences count (contents alone do not: a changed
 * file also differs in mtime); owner and group only when running as root and not set by the task,
 * mode only when the task sets none.
 */
export function tarDiffDifferences(out: string, o: { root: boolean; owner?: string; group?: string; mode?: unknown }): string[] {
  const hits: string[] = [];
  for (const line of out.split('\n')) {
    if (/: : Warning: Cannot stat: No such file or directory$/.test(line)) continue;
    if (o.root && o.owner === undefined && /: Uid differs$/.test(line)) hits.push(line);
    if (o.root && o.group === undefined && /: Gid differs$/.test(line)) hits.push(line);
    if (o.mode === undefined && /: Mode differs$/.test(line)) hits.push(line);
    if (/: Mod time differs$/.test(line)) hits.push(line);
    if (/: Warning: Cannot stat: No such file or directory$/.test(line)) hits.push(line);
    if (/: Invalid owner/.test(line)) hits.push(line);
    if (/: Invalid group/.test(line)) hits.push(line);
  }
  return hits;
}
