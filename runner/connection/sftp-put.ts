// Large files travel over SFTP on the host's one connection: streamed, with SSH flow control.
import { randomBytes } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';

export function cb<T>(fn: (done: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))));
}

/** Atomic write: temp file next to path, chmod (given, the old file's, or 0644), then posix-rename over path. */
export async function sftpPut(sftp: SFTPWrapper, path: string, content: Buffer, mode?: number): Promise<void> {
  const tmp = `${path}.play-tmp-${randomBytes(6).toString('hex')}`;
  try {
    const m = mode ?? (await cb<{ mode: number }>((d) => sftp.stat(path, d)).then((s) => s.mode & 0o7777, () => 0o644));
    await cb<void>((d) => sftp.writeFile(tmp, content, { mode: m }, d));
    await cb<void>((d) => sftp.chmod(tmp, m, d));
    await cb<void>((d) => sftp.ext_openssh_rename(tmp, path, d)).catch(async () => {
      await cb<void>((d) => sftp.unlink(path, d)).catch(() => undefined);
      await cb<void>((d) => sftp.rename(tmp, path, d));
    });
  } catch (e) {
    await cb<void>((d) => sftp.unlink(tmp, d)).catch(() => undefined);
    throw e;
  }
}
