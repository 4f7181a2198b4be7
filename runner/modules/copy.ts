// copy: write `content`, a file or a directory tree from the role's files/, or (remote_src) a file
// or directory already on the host, to dest. Probe: 1 exec.
import { basename, posix } from 'node:path';
import { defineModule } from './types.js';
import { contentSchemaProps, decideContent, overlayContent, predictContent, probeContent, type ContentArgs, type ContentProbe } from './content-file.js';
import { decideTree, parseTreeProbe, treeProbeScript, treeTargets } from './copy-tree.js';
import { decideRemote, parseRemoteProbe, remoteProbeScript, type RemoteProbe } from './copy-remote.js';
import type { TreeEntry } from './controller-tree.js';
import { resolveMode, type ModeSpec } from './mode.js';
import type { FileInfo } from './fileinfo.js';

export interface CopyArgs extends ContentArgs {
  content?: string;
  src?: string;
  directory_mode?: ModeSpec;
  remote_src?: boolean;
  /** Follow symlinks in a directory src on the controller (default true). */
  local_follow?: boolean;
  /** Filled by prepare(): the bytes to write. Not part of the schema. */
  _bytes?: Buffer;
  /** Filled by prepare() when src is a directory on the controller. */
  _tree?: TreeEntry[];
}

/** A plain ContentProbe for one file (the common case, and what recorded probes hold). */
export type CopyProbe =
  | ContentProbe
  | { kind: 'tree'; infos: FileInfo[] }
  | { kind: 'remote'; probe: RemoteProbe };

export const copyModule = defineModule<CopyArgs, CopyProbe>({
  name: 'copy',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['dest'],
    properties: {
      ...contentSchemaProps, content: { type: 'string' }, src: { type: 'string', minLength: 1 },
      directory_mode: { type: ['string', 'integer'] }, remote_src: { type: 'boolean' }, local_follow: { type: 'boolean' },
    },
  },
  async prepare(args, env) {
    if (args.src === undefined || args.remote_src === true) return args;
    const tree = env.readControllerTree ? await env.readControllerTree('files', args.src, args.local_follow !== false) : undefined;
    if (tree !== undefined) return { ...args, _tree: tree };
    return { ...args, _bytes: await env.readControllerFile('files', args.src) };
  },
  async probe(args, ctx) {
    if (args.remote_src === true && args.src !== undefined) {
      const r = await ctx.conn.exec(remoteProbeScript({ ...args, src: args.src }));
      if (r.code !== 0) throw new Error(`probe of ${args.src} -> ${args.dest} failed (rc ${r.code}): ${r.stderr.trim()}`);
      return { kind: 'remote', probe: parseRemoteProbe(r.stdout, { ...args, src: args.src }) };
    }
    if (args._tree !== undefined && args.src !== undefined) {
      const targets = treeTargets({ ...args, src: args.src }, args._tree);
      const r = await ctx.conn.exec(treeProbeScript(targets));
      if (r.code !== 0) throw new Error(`probe of ${args.dest} failed (rc ${r.code}): ${r.stderr.trim()}`);
      return { kind: 'tree', infos: parseTreeProbe(r.stdout, targets) };
    }
    return (await probeContent(args.dest, args.src !== undefined ? basename(args.src) : undefined, ctx, args.follow === true));
  },
  overlay(args, probe, view) {
    if ('kind' in probe) return probe; // trees and remote sources are not overlaid (docs/check-mode.md)
    // dest is a directory only an earlier task would have made: the file goes into it
    const into = args.src !== undefined && probe.info.path === args.dest && !args.dest.endsWith('/') && view.state.dirExists(args.dest)?.fact === true;
    const p = into ? { ...probe, info: { path: posix.join(args.dest, basename(args.src!)), type: 'absent' as const }, parentExists: true } : probe;
    return overlayContent(p, view);
  },
  predict: (args, probe, d, view) => ('kind' in probe ? [{ kind: 'opaque', what: d.summary, paths: true, under: args.dest }] : predictContent(args, args.content !== undefined ? Buffer.from(args.content, 'utf8') : args._bytes, probe, view)),
  decide(args, probe, ctx) {
    if ((args.content === undefined) === (args.src === undefined)) return { kind: 'fail', msg: args.src === undefined ? 'src (or content) is required' : 'src and content are mutually exclusive' };
    if (args.content !== undefined && args.dest.endsWith('/')) return { kind: 'fail', msg: 'can not use content with a dir as dest' };
    if ('kind' in probe && probe.kind === 'remote') return decideRemote({ ...args, src: args.src! }, probe.probe, ctx);
    if ('kind' in probe) return decideTree({ ...args, src: args.src!, directory_mode: args.directory_mode }, args._tree ?? [], probe.infos, ctx);
    const data = args.content !== undefined ? Buffer.from(args.content, 'utf8') : args._bytes;
    if (data === undefined) return { kind: 'fail', msg: `copy src ${args.src} was not read (prepare() did not run)` };
    let dirMode: number | undefined;
    if (args.directory_mode !== undefined) {
      const r = resolveMode(args.directory_mode, undefined, true);
      if (!r.ok) return { kind: 'fail', msg: r.msg };
      dirMode = r.mode;
    }
    return decideContent(args, data, probe, ctx, { newDirs: { mode: dirMode, owner: args.owner, group: args.group } });
  },
});
